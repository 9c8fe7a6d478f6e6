namespace Loom.Config;

/// <summary>
/// The names a config key may take (`model.name`, `data.name`): the built-in ones, handled by their owner, and those an
/// app registers with a value (a builder, a reader). Process-wide, because the app is the process: its scheduled
/// workers and data-parallel ranks run the same registration code before they read a config.
/// </summary>
public sealed class NamedRegistry<T>(string key, string what, IReadOnlyList<string> builtIn) where T : class
{
    readonly Lock gate = new();
    readonly Dictionary<string, T> registered = [];
    readonly List<string> order = [];

    /// <summary>Every name: the built-in ones, then the registered ones in the order they were first added.</summary>
    public IReadOnlyList<string> Names
    {
        get { lock (gate) return [.. builtIn, .. order]; }
    }

    public bool IsBuiltIn(string name) => builtIn.Contains(name);

    /// <summary>Adds <paramref name="name"/>; registering a name again replaces its value (the latest registration wins,
    /// so registration code may run twice). Loom's own names cannot be taken.</summary>
    public void Register(string name, T value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (builtIn.Contains(name)) throw new ArgumentException($"{what} '{name}' is one of Loom's own", nameof(name));
        lock (gate)
        {
            if (!registered.ContainsKey(name)) order.Add(name);
            registered[name] = value;
        }
    }

    /// <summary>The value registered under <paramref name="name"/>, or null (built-in or unknown).</summary>
    public T? Registered(string name)
    {
        lock (gate) return registered.GetValueOrDefault(name);
    }

    /// <summary>Refuses a name that is neither built in nor registered: one line naming the known ones (and the closest).</summary>
    public void Check(string name, string? hint = null)
    {
        if (!builtIn.Contains(name) && Registered(name) is null) throw Unknown(name, hint);
    }

    public ConfigException Unknown(string name, string? hint = null) => UnknownName.Error(key, name, what, Names, hint);
}
