namespace Loom.Config;

/// <summary>The one line for a name that none of the registered ones is: `optim.name=adamm`, `model.name=…`, `data.name=…`.</summary>
public static class UnknownName
{
    /// <summary>`key=value: unknown what (expected one of a, b, c; did you mean b?)`, the suggestion when one is close.</summary>
    public static string Message(string key, string value, string what, IReadOnlyList<string> known, string? hint = null)
    {
        var close = EditDistance.Closest(value, known);
        string suggestion = close.Count > 0 ? $"; did you mean {close[0]}?" : "";
        return $"{key}={value}: unknown {what} (expected one of {string.Join(", ", known)}{suggestion}{(hint is null ? "" : "; " + hint)})";
    }

    public static ConfigException Error(string key, string value, string what, IReadOnlyList<string> known, string? hint = null) =>
        new(Message(key, value, what, known, hint));
}
