namespace Loom.Optim;

/// <summary>A spec's own options record out of the settings' <c>Options</c> (each optimizer and schedule reads only its own record).</summary>
static class SpecOptions
{
    /// <summary>The record itself, the record's defaults when none was given, or an error naming both records when the
    /// settings hold another spec's (e.g. <c>SgdOptions</c> with <c>Name = "adam"</c>: a mistake in code, not in a config).</summary>
    public static TOptions Of<TOptions>(object? options, string section, string name) where TOptions : class, new() => options switch
    {
        null => new(),
        TOptions own => own,
        _ => throw new ArgumentException($"{section}.name={name} reads {typeof(TOptions).Name}, but the settings hold a {options.GetType().Name}"),
    };
}
