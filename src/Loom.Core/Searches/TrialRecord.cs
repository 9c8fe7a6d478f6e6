using System.Globalization;

namespace Loom.Searches;

/// <summary>
/// What the driver remembers of one trial, on disk: its parameters as override values, its XP's signature,
/// the rung it is training to (an index into the pruner's rungs), the objective at each rung it reached,
/// its state and how many times a killed job of it was resubmitted.
/// </summary>
public sealed class TrialRecord
{
    public int Number { get; set; }
    public Dictionary<string, string> Params { get; set; } = [];
    public string Sig { get; set; } = "";
    public TrialState State { get; set; } = TrialState.Running;
    public int Rung { get; set; }
    public SortedDictionary<int, double> Values { get; set; } = [];
    public double? Value { get; set; }
    public int Retries { get; set; }
    public string? Reason { get; set; }

    /// <summary>The trial as samplers and pruners see it, with typed parameter values.</summary>
    public Trial ToTrial(SearchSpace space)
    {
        var typed = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in space.Parameters)
            if (Params.TryGetValue(p.Key, out var text)) typed[p.Key] = Parse(p, text);
        var trial = new Trial(Number, typed);
        foreach (var (step, v) in Values) trial.Report(step, v);
        if (State != TrialState.Running) trial.Finish(State, Value);
        return trial;
    }

    static object Parse(SearchParameter p, string text) => p switch
    {
        FloatParameter => double.Parse(text, CultureInfo.InvariantCulture),
        IntParameter => long.Parse(text, CultureInfo.InvariantCulture),
        ChoiceParameter c => c.Values.FirstOrDefault(v => Trial.Format(v) == text)
            ?? throw new SearchException($"search state: '{text}' is no longer one of {c.Key}'s values (the search changed; start it under another name)"),
        _ => text,
    };
}
