using Loom.Experiments;

namespace Loom.App.Commands;

/// <summary>
/// `loom export SIG…` prints Dora's share string for the XPs; `loom import` reads one on stdin (or as an
/// argument) and creates those XPs' folders (their config.yaml and .argv.json), printing each sig and name.
/// </summary>
public static class ShareCommands
{
    public static int Export(string confDir, IReadOnlyList<string> sigs, string? outputsOption)
    {
        if (sigs.Count == 0) throw new UsageException("export needs at least one XP signature");
        string outputs = CommandContext.OutputsRoot(confDir, outputsOption);
        var argvs = sigs.Select(s => CommandContext.FindXp(confDir, outputs, s).Argv).ToList();
        Console.WriteLine(XpShare.Export(argvs));
        return 0;
    }

    public static int Import(string confDir, string? text, string? outputsOption)
    {
        text ??= Console.In.ReadToEnd();
        if (string.IsNullOrWhiteSpace(text)) throw new UsageException("import: nothing to import (pass the string, or pipe it on stdin)");
        var argvs = XpShare.Import(text);
        string? outputs = outputsOption is null ? null : Path.GetFullPath(outputsOption);
        var xps = argvs.Select(argv => Xp.Create(confDir, argv, outputs)).ToList(); // all valid before any is written
        foreach (var xp in xps)
        {
            xp.WriteDefinition();
            Console.WriteLine($"{xp.Sig} {xp.Name}".TrimEnd());
        }
        return 0;
    }
}
