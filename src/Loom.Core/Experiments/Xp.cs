using System.Text.Json;
using Loom.Config;
using Loom.IO;

namespace Loom.Experiments;

/// <summary>
/// An experiment: the overrides that define it (argv), its resolved config, its delta against the defaults,
/// its signature, short name and folder `&lt;outputs&gt;/xps/&lt;sig&gt;/`. Immutable; nothing touches the disk
/// until <see cref="WriteDefinition"/>.
/// </summary>
public sealed class Xp
{
    public const string ConfigFile = "config.yaml";
    public const string ArgvFile = ".argv.json";
    public const string OutputsKey = "loom.outputs";
    public const string XpsFolder = "xps";

    public string Sig { get; }
    public string Name { get; }
    public IReadOnlyList<DeltaItem> Delta { get; }
    public IReadOnlyList<string> Argv { get; }
    public ConfigNode Config { get; }
    public IReadOnlyList<KeyValuePair<string, string>> GroupChoices { get; }
    /// <summary>Absolute path of the XP folder.</summary>
    public string Folder { get; }

    Xp(ComposedConfig composed, IReadOnlyList<string> argv, string? outputsRoot)
    {
        Argv = argv;
        Config = composed.Config;
        GroupChoices = composed.GroupChoices;
        Delta = Experiments.Delta.Compute(composed);
        Sig = Signature.Compute(Delta);
        Name = XpName.For(Delta);
        Folder = Path.Combine(OutputsRoot(Config, outputsRoot), XpsFolder, Sig);
    }

    /// <summary>Composes <paramref name="argv"/> over <paramref name="confDir"/>; <paramref name="outputsRoot"/> replaces `loom.outputs`.</summary>
    public static Xp Create(string confDir, IReadOnlyList<string> argv, string? outputsRoot = null)
    {
        var simplified = SimplifyArgv(argv);
        return new(ConfigComposer.Compose(confDir, simplified), simplified, outputsRoot);
    }

    /// <summary>
    /// Dora's `_simplify_argv`: an override whose key (the text before '=') comes again later is dropped,
    /// so that `lr=0.1 lr=0.01` is the XP `lr=0.01`, with the same argv and signature.
    /// </summary>
    public static IReadOnlyList<string> SimplifyArgv(IReadOnlyList<string> argv)
    {
        static string KeyOf(string arg) => (arg.Contains('=') ? arg[..arg.IndexOf('=')] : arg).Trim();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<string>();
        for (int i = argv.Count - 1; i >= 0; i--)
            if (seen.Add(KeyOf(argv[i]))) kept.Add(argv[i]);
        kept.Reverse();
        return kept;
    }

    /// <summary>The outputs folder, absolute: the caller's choice, else `loom.outputs` (relative to the current directory), else ./outputs.</summary>
    public static string OutputsRoot(ConfigNode config, string? overrideRoot = null)
    {
        string? root = overrideRoot ?? (config.TryGet<string>(OutputsKey, out var fromConfig) ? fromConfig : "outputs");
        if (string.IsNullOrWhiteSpace(root)) throw new ConfigException($"{OutputsKey}={(root is null ? "null" : $"'{root}'")}: expected the folder that holds xps/");
        return Path.GetFullPath(root);
    }

    /// <summary>Reloads the XP whose folder `&lt;outputsRoot&gt;/xps/&lt;sig&gt;` holds a `.argv.json`.</summary>
    public static Xp FromFolder(string confDir, string outputsRoot, string sig)
    {
        string xps = Path.GetFullPath(Path.Combine(outputsRoot, XpsFolder));
        string argvPath = Path.Combine(xps, sig, ArgvFile);
        if (sig.Length == 0 || sig.IndexOfAny(['/', '\\']) >= 0 || !File.Exists(argvPath))
            throw new ConfigException($"no XP with signature '{sig}' in {xps} (no {ArgvFile} there)");
        List<string>? argv;
        try { argv = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(argvPath)); }
        catch (JsonException e) { throw DamagedArgv(argvPath, $"not a JSON list of strings: {e.Message}"); }
        if (argv is null || argv.Any(a => a is null)) throw DamagedArgv(argvPath, "not a JSON list of strings");
        var xp = Create(confDir, argv, outputsRoot);
        if (xp.Sig != sig)
            throw new ConfigException($"{argvPath}: its overrides now give signature {xp.Sig}, not {sig} (the defaults in {confDir} changed since)");
        return xp;
    }

    static DamagedFileException DamagedArgv(string path, string what) => new(path, what,
        $"restore it, or write the XP's overrides back as a JSON list (e.g. [\"model=mlp\"]), or delete the XP folder");

    /// <summary>Creates the folder and writes, atomically, the resolved `config.yaml` and `.argv.json`.</summary>
    public void WriteDefinition()
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(Path.Combine(Folder, ConfigFile), Config.ToYaml());
        AtomicFile.WriteAllText(Path.Combine(Folder, ArgvFile), PyJson.Dumps(Argv)); // as Dora writes it
    }

    public override string ToString() => $"{Sig} {Name}".TrimEnd();
}
