namespace Loom.Searches;

/// <summary>
/// A parameter of the space as a report draws it, kept in state.json so that reporting never runs the search's
/// code: its key, whether it is searched on a log scale, and whether it is a choice (a categorical axis).
/// </summary>
public sealed record SearchAxis(string Key, bool Log, bool Choice)
{
    public static SearchAxis Of(SearchParameter p) => new(p.Key, p is FloatParameter { Log: true } or IntParameter { Log: true }, p is ChoiceParameter);
}
