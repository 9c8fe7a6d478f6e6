using Loom.Config;

namespace Loom.App;

/// <summary>
/// Every key of the composed config is read by the trainer or the task, and a record binds a missing key to its
/// own default: `~epochs` or `~model` would train silently with defaults the config never named (under a new
/// signature). So a `~key` deletion that composition accepted (the key existed) is refused before anything runs,
/// naming the key; `train`, `info` and the rest refuse it alike through <see cref="PreparedXp"/>.
/// </summary>
public static class RequiredKeys
{
    static readonly string[] Groups = ["optim", "schedule"];

    public static void Check(IReadOnlyList<string> argv)
    {
        foreach (var arg in argv)
        {
            if (!arg.StartsWith('~')) continue;
            string key = arg[1..].Split('=', 2)[0];
            if (Groups.Contains(key))
                throw new ConfigException($"~{key}: Loom trains with the {key} group and it cannot be removed (choose one with {key}=NAME)");
            throw new ConfigException($"~{key}: a required key cannot be removed (Loom and the task read every key of the config; set it instead, e.g. {key}=VALUE)");
        }
    }
}
