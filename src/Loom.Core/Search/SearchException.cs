namespace Loom.Search;

/// <summary>A bad search: an empty space, a bound the wrong way round, a budget of nothing. One line naming the culprit.</summary>
public sealed class SearchException(string message) : Exception(message);
