namespace Loom.Search;

/// <summary>
/// A parameter exists only when an earlier choice took one of some values: momentum only for `optim=sgd` is
/// <c>new Condition("optim", "sgd")</c>. Trials where it is absent neither set it nor count in its estimates.
/// </summary>
public sealed record Condition(string Key, params object[] Values)
{
    public bool HoldsFor(object? parentValue) => parentValue is not null && Values.Any(v => ChoiceParameter.Same(v, parentValue));

    public override string ToString() => $"{Key} in [{string.Join(", ", Values)}]";
}
