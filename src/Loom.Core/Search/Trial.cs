using System.Globalization;

namespace Loom.Search;

/// <summary>
/// One evaluation of the objective: its number (the order of proposal), its parameters, the values reported
/// along the way (step → value, e.g. epoch → valid accuracy) and its outcome.
/// </summary>
public sealed class Trial(int number, IReadOnlyDictionary<string, object> parameters)
{
    readonly SortedDictionary<int, double> intermediate = [];
    internal Func<Trial, int, bool>? PruneCheck { get; set; }

    public int Number { get; } = number;
    public IReadOnlyDictionary<string, object> Params { get; } = parameters;
    public TrialState State { get; internal set; } = TrialState.Running;

    /// <summary>The final value (complete) or the last reported one (pruned); null while running or failed.</summary>
    public double? Value { get; internal set; }

    public IReadOnlyDictionary<int, double> Intermediate => intermediate;
    public int? LastStep => intermediate.Count == 0 ? null : intermediate.Keys.Max();

    public double Float(string key) => Convert.ToDouble(Get(key), CultureInfo.InvariantCulture);
    public long Int(string key) => Convert.ToInt64(Get(key), CultureInfo.InvariantCulture);
    public string Text(string key) => Convert.ToString(Get(key), CultureInfo.InvariantCulture)!;
    public bool Has(string key) => Params.ContainsKey(key);

    object Get(string key) => Params.TryGetValue(key, out var v) ? v
        : throw new SearchException($"trial {Number} has no parameter '{key}' (it has: {string.Join(", ", Params.Keys)})");

    /// <summary>Records the objective at a step (an epoch); a pruner decides from these.</summary>
    public void Report(int step, double value) => intermediate[step] = value;

    /// <summary>Whether the pruner stops this trial at its last reported step; inside an objective, throw <see cref="TrialPrunedException"/> then.</summary>
    public bool ShouldPrune() => LastStep is int step && PruneCheck is { } check && check(this, step);

    /// <summary>Marks the trial finished: complete with a value, pruned at its last step, or failed.</summary>
    public void Finish(TrialState state, double? value = null)
    {
        State = state;
        Value = state == TrialState.Pruned && value is null && LastStep is int s ? intermediate[s] : value;
    }

    public override string ToString() =>
        $"#{Number} {string.Join(" ", Params.Select(p => $"{p.Key}={Format(p.Value)}"))} {State}{(Value is double v ? " " + Format(v) : "")}";

    /// <summary>A value as an override writes it: invariant culture, shortest round-trip for reals.</summary>
    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
