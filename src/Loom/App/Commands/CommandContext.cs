using System.Reflection;
using Loom.Config;
using Loom.Experiments;
using Loom.Grids;
using Loom.Scheduling;

namespace Loom.App.Commands;

/// <summary>
/// What the experiment commands (grid, launch, run, cancel, info -f, export, import) share: where the
/// outputs are, how to run `loom` itself, the scheduler, the grids, and how to find an XP by signature.
/// </summary>
public static class CommandContext
{
    /// <summary>Colon-separated paths of user assemblies whose grids `loom grid` also offers.</summary>
    public const string GridsVariable = "LOOM_GRIDS";

    /// <summary>`--outputs`, else the conf's `loom.outputs` (relative to the current directory).</summary>
    public static string OutputsRoot(string confDir, string? option) =>
        option is not null ? Path.GetFullPath(option) : Xp.OutputsRoot(ConfigComposer.ComposeDefaults(confDir).Config);

    /// <summary>The command line that runs this very app (its apphost, or `dotnet App.dll`): scheduled workers run the user's app.</summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("unknown process path");
        bool viaDotnet = Path.GetFileNameWithoutExtension(process) == "dotnet";
        string entry = System.Reflection.Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("unknown entry assembly");
        return viaDotnet ? [process, entry] : [process];
    }

    /// <summary>
    /// The scheduler: `--scheduler`, else the conf's `loom.scheduler`, else `local` (the embedded default). Slurm
    /// jobs run this app from a frozen copy of its build folder (`&lt;outputs&gt;/.loom/code/&lt;hash&gt;/`).
    /// </summary>
    public static IScheduler Scheduler(string outputsRoot, string? kind = null, string? confDir = null)
    {
        string chosen = kind ?? (confDir is not null && ConfigComposer.ComposeDefaults(confDir).Config.TryGet<string>(SchedulerKey, out var k) ? k : "local");
        return chosen switch
        {
            "local" => new LocalScheduler(outputsRoot, SelfCommand()),
            "slurm" => new Scheduling.Slurm.SlurmScheduler(outputsRoot, new Scheduling.Slurm.SlurmOptions(SelfCommand())
            {
                AppDirectory = AppContext.BaseDirectory,
                WorkerArgs = r => ["run", "-f", r.Sig, "--outputs", r.OutputsRoot, "--conf", r.ConfDir],
            }),
            _ => throw new UsageException($"{(kind is null ? SchedulerKey : "--scheduler")}={chosen}: expected local or slurm"),
        };
    }

    public const string SchedulerKey = "loom.scheduler";

    /// <summary>Default grid resources: the conf's `slurm:` section (Dora's slurm keys; excluded from the signature).</summary>
    public static Resources DefaultResources(string confDir) =>
        Scheduling.Slurm.SlurmConfig.From(ConfigComposer.ComposeDefaults(confDir).Config).ToResources();

    /// <summary>The app's grids, and those of `--grids`/$LOOM_GRIDS assemblies.</summary>
    public static GridCatalog Grids(LoomAppDefinition app, IEnumerable<string> extraAssemblies) => new(Assemblies(app, extraAssemblies));

    /// <summary>The assemblies whose grids and searches the commands offer: the app's and those of `--grids`/$LOOM_GRIDS.</summary>
    public static List<Assembly> Assemblies(LoomAppDefinition app, IEnumerable<string> extraAssemblies)
    {
        var paths = extraAssemblies.Concat((Environment.GetEnvironmentVariable(GridsVariable) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        var assemblies = app.GridAssemblies.ToList();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new UsageException($"grid assembly {path} does not exist");
            assemblies.Add(Assembly.LoadFrom(Path.GetFullPath(path)));
        }
        return assemblies;
    }

    /// <summary>
    /// An existing XP by signature: from its folder's `.argv.json`, else from the job that the scheduler
    /// holds for it (a grid member that has not started yet has no folder).
    /// </summary>
    public static Xp FindXp(string confDir, string outputsRoot, string sig)
    {
        if (File.Exists(Path.Combine(outputsRoot, Xp.XpsFolder, sig, Xp.ArgvFile)) || !File.Exists(new SchedulerPaths(outputsRoot).Database))
            return Xp.FromFolder(confDir, outputsRoot, sig);
        using var scheduler = Scheduler(outputsRoot, confDir: confDir);
        var job = scheduler.Latest([sig]).GetValueOrDefault(sig);
        if (job is null) return Xp.FromFolder(confDir, outputsRoot, sig); // its error names the missing folder
        if (scheduler is not LocalScheduler local) return Xp.FromFolder(confDir, outputsRoot, sig); // Slurm writes .argv.json at submission
        var row = local.Get(job.JobId)!;
        return Checked(Xp.Create(confDir, row.Request.Argv, outputsRoot), sig);
    }

    public static Xp Checked(Xp xp, string sig) => xp.Sig == sig ? xp
        : throw new ConfigException($"the overrides of {sig} now give signature {xp.Sig} (the defaults changed since)");

    /// <summary>Grid and scheduler errors that are the user's input become one-line usage errors.</summary>
    public static int Guard(Func<int> command)
    {
        try { return command(); }
        catch (GridException e) { throw new UsageException(e.Message); }
        catch (Scheduling.Slurm.SlurmException e) { throw new UsageException(e.Message); }
    }
}
