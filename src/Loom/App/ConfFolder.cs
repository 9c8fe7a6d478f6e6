namespace Loom.App;

/// <summary>Which `conf/` folder a command composes from: `--conf`, else $LOOM_CONF, else ./conf when it
/// holds a config.yaml (a user's project), else the app's bundled conf (next to the executable).</summary>
public static class ConfFolder
{
    public static string Resolve(string? option, string bundled)
    {
        if (option is not null) return Checked(option, "--conf");
        if (Environment.GetEnvironmentVariable("LOOM_CONF") is { Length: > 0 } env) return Checked(env, "LOOM_CONF");
        if (File.Exists(Path.Combine("conf", "config.yaml"))) return Path.GetFullPath("conf");
        return bundled;
    }

    static string Checked(string dir, string source)
    {
        if (File.Exists(dir)) throw new UsageException($"{source}={dir}: a file, not a folder (expected the folder that holds config.yaml)");
        if (!Directory.Exists(dir)) throw new UsageException($"{source}={dir}: no such folder (expected the folder that holds config.yaml)");
        if (!File.Exists(Path.Combine(dir, "config.yaml")))
            throw new UsageException($"{source}={dir}: no config.yaml in that folder");
        return Path.GetFullPath(dir);
    }
}
