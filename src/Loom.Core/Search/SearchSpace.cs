namespace Loom.Search;

/// <summary>
/// The parameters a search chooses, in declaration order: a conditional parameter comes after the choice it
/// depends on, so that one pass in order decides which parameters a trial has.
/// <code>
/// var space = new SearchSpace()
///     .Float("optim.lr", 1e-4, 1, log: true)
///     .Choice("optim", "sgd", "adamw")
///     .Float("optim.momentum", 0, 0.99, when: new("optim", "sgd"));
/// </code>
/// Each declaration is checked at once; a mistake is a <see cref="SearchException"/> naming the key.
/// </summary>
public sealed class SearchSpace
{
    readonly List<SearchParameter> parameters = [];

    public IReadOnlyList<SearchParameter> Parameters => parameters;

    public SearchSpace Float(string key, double low, double high, bool log = false, Condition? when = null) =>
        Add(new FloatParameter(key, low, high, log, when));

    public SearchSpace Int(string key, long low, long high, bool log = false, Condition? when = null) =>
        Add(new IntParameter(key, low, high, log, when));

    public SearchSpace Choice(string key, params object[] values) => Add(new ChoiceParameter(key, values, null));

    public SearchSpace Choice(string key, IReadOnlyList<object> values, Condition when) => Add(new ChoiceParameter(key, values, when));

    public SearchSpace Add(SearchParameter parameter)
    {
        parameter.Validate();
        if (parameters.Any(p => p.Key == parameter.Key)) throw new SearchException($"search parameter '{parameter.Key}' is declared twice");
        if (parameter.When is { } when)
        {
            var parent = parameters.FirstOrDefault(p => p.Key == when.Key) as ChoiceParameter
                ?? throw new SearchException($"search parameter '{parameter.Key}': its condition needs a choice '{when.Key}' declared before it");
            foreach (var v in when.Values)
                if (parent.IndexOf(v) < 0) throw new SearchException($"search parameter '{parameter.Key}': '{v}' is not one of {when.Key}'s values [{string.Join(", ", parent.Values)}]");
        }
        parameters.Add(parameter);
        return this;
    }

    /// <summary>Throws when there is nothing to search.</summary>
    public void Validate()
    {
        if (parameters.Count == 0) throw new SearchException("the search space is empty: declare at least one Float, Int or Choice");
    }

    /// <summary>Whether a parameter exists given the values chosen so far (its parent's value, the parent existing).</summary>
    public static bool IsActive(SearchParameter parameter, IReadOnlyDictionary<string, object> chosen) =>
        parameter.When is not { } when || (chosen.TryGetValue(when.Key, out var value) && when.HoldsFor(value));

    /// <summary>Fills the active parameters in order, each from <paramref name="draw"/>.</summary>
    public OrderedDictionary<string, object> Fill(Func<SearchParameter, object> draw)
    {
        var chosen = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in parameters)
            if (IsActive(p, chosen)) chosen[p.Key] = draw(p);
        return chosen;
    }
}
