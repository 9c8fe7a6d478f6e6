using System.CommandLine;
using Loom.App.Commands;
using Loom.Grids;

namespace Loom.App;

/// <summary>
/// The syntax of every command an app built on Loom gets (`loom` is one such app): this file only declares
/// options and arguments and hands them to the command classes in Commands/.
/// </summary>
static class LoomCommandLine
{
    public static Command Build(LoomAppDefinition app)
    {
        var conf = new Option<string?>("--conf") { Description = "Config folder holding config.yaml (default: ./conf, else the app's bundled conf)" };
        string Conf(ParseResult p) => ConfFolder.Resolve(p.GetValue(conf), app.DefaultConf);
        var overrides = new Argument<string[]>("overrides") { Arity = ArgumentArity.ZeroOrMore, Description = "Hydra overrides: key=value, +key=value, ++key=value, ~key, group=option" };

        var multirun = new Option<bool>("--multirun", "-m") { Description = "Expand comma-separated values to their cartesian product, one XP each" };
        var schedulerKind = new Option<string?>("--scheduler") { Description = "local (default) or slurm; default: the conf's loom.scheduler" };
        var ranks = new Option<int?>("--ranks", "-d") { Description = "Synchronous data parallel over N processes (Open MPI); batch_size stays the global batch" };
        var train = new Command("train", "Train one XP in the foreground (resumes from its checkpoint)") { overrides, multirun, ranks, conf };
        train.SetAction(p => TrainCommand.Run(app, Conf(p), p.GetValue(overrides) ?? [], p.GetValue(multirun), p.GetValue(ranks)));

        var json = new Option<bool>("--json") { Description = "One JSON object: sig, name, delta, folder, config" };
        var fromSig = new Option<string?>("--from-sig", "-f") { Description = "Describe the existing XP with this signature" };

        // Experiments through the scheduler (issue 6): grid, launch, run, cancel, export, import.
        var outputs = new Option<string?>("--outputs") { Description = "Outputs folder holding xps/ and the scheduler's state (default: the conf's loom.outputs)" };
        var retry = new Option<bool>("--retry", "-r") { Description = "Resubmit failed and cancelled XPs" };
        var replace = new Option<bool>("--replace", "-R") { Description = "Cancel and resubmit pending and running XPs" };
        var replaceDone = new Option<bool>("--replace-done", "-D") { Description = "Rerun completed XPs" };
        GridOptions Rules(ParseResult p) => new(Retry: p.GetValue(retry), Replace: p.GetValue(replace), ReplaceDone: p.GetValue(replaceDone));

        var gridName = new Argument<string>("grid") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "", Description = "Name of the grid (a Grid class: LectureGrid is `lecture`)" };
        var list = new Option<bool>("--list") { Description = "List the grids with their descriptions and return" };
        var patterns = new Argument<string[]>("patterns") { Arity = ArgumentArity.ZeroOrMore, Description = "Keep XPs whose name contains pat (fnmatch *pat*), !pat excludes, integers pick by index; all ANDed" };
        var cancel = new Option<bool>("--cancel", "-C") { Description = "Cancel the selected XPs' jobs" };
        var clear = new Option<bool>("--clear") { Description = "Cancel the selected XPs, delete their folders and start them again (asks first)" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (--clear)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be submitted and cancelled, and do nothing" };
        var init = new Option<bool>("--init") { Description = "Write every selected XP's folder (config.yaml, .argv.json)" };
        var interval = new Option<double>("--interval", "-i") { Description = "Minutes between table refreshes", DefaultValueFactory = _ => 5 };
        var trim = new Option<int?>("--trim", "-T") { Description = "Show every XP at the epoch reached by the XP of this index" };
        var trimLast = new Option<bool>("--trim-last", "-L") { Description = "Show every XP at the epoch reached by the least advanced one" };
        var noMonitor = new Option<bool>("--no-monitor") { Description = "Print the table once and return" };
        var jobs = new Option<int?>("--jobs") { Description = "At most N XPs running at once (default: cores / threads per XP); remembered" };
        var tensorboard = new Option<bool>("--tensorboard") { Description = "Write the grid's TensorBoard folder (HParams experiment + a link per XP) and print its path" };
        var seeds = new Option<bool>("--seeds") { Description = "One row per XP up to `seed`: metrics as mean ± std over seeds" };
        var gridAssemblies = new Option<string[]>("--grids") { Description = $"More assemblies to find grids in (also ${CommandContext.GridsVariable}, colon-separated)" };
        var grid = new Command("grid", "Schedule a grid's XPs, cancel those removed from it, show their table")
            { gridName, list, patterns, retry, replace, replaceDone, cancel, clear, yes, dryRun, init, interval, trim, trimLast, noMonitor, jobs, seeds, tensorboard, schedulerKind, outputs, gridAssemblies, conf };
        grid.SetAction(p => GridCommand.Run(app, Conf(p), new GridArgs(p.GetValue(gridName)!, p.GetValue(patterns) ?? [],
            Rules(p) with { Cancel = p.GetValue(cancel), Clear = p.GetValue(clear), DryRun = p.GetValue(dryRun), Init = p.GetValue(init) },
            p.GetValue(yes), p.GetValue(interval), p.GetValue(trim), p.GetValue(trimLast), !p.GetValue(noMonitor), p.GetValue(jobs), p.GetValue(seeds), p.GetValue(outputs),
            p.GetValue(gridAssemblies) ?? [], p.GetValue(tensorboard), p.GetValue(schedulerKind), p.GetValue(list))));

        var searchName = new Argument<string>("search") { Description = "Name of the search (a Search class: LectureSearch is `lecture_search`)" };
        var best = new Option<bool>("--best") { Description = "Print the best trial's overrides (ready for `loom train`) and its objective" };
        var searchInterval = new Option<double>("--interval", "-i") { Description = "Seconds between passes of the driver", DefaultValueFactory = _ => 5 };
        var search = new Command("search", "Run a hyper-parameter search: trials are XPs on the scheduler, pruned by successive halving")
            { searchName, cancel, dryRun, best, searchInterval, noMonitor, schedulerKind, outputs, gridAssemblies, conf };
        search.SetAction(p => SearchCommand.Run(app, Conf(p), new SearchArgs(p.GetValue(searchName)!, p.GetValue(dryRun), p.GetValue(cancel),
            p.GetValue(best), !p.GetValue(noMonitor), p.GetValue(searchInterval), p.GetValue(outputs), p.GetValue(gridAssemblies) ?? [], p.GetValue(schedulerKind))));

        var cpus = new Option<int?>("--cpus") { Description = "Cores the job needs (default: the XP's threads)" };
        var launch = new Command("launch", "Send one XP through the scheduler") { overrides, retry, replace, replaceDone, cpus, ranks, schedulerKind, outputs, conf };
        launch.SetAction(p => LaunchCommand.Run(app, Conf(p), p.GetValue(overrides) ?? [], Rules(p), p.GetValue(cpus), p.GetValue(outputs), p.GetValue(schedulerKind), p.GetValue(ranks)));

        var sigOption = new Option<string?>("--from-sig", "-f") { Description = "Signature of an existing XP" };
        var jobId = new Option<long?>("--job") { Description = "Run as the scheduler's worker for this job", Hidden = true };
        var run = new Command("run", "Run an existing XP in the foreground (resumes from its checkpoint)") { sigOption, jobId, ranks, outputs, conf };
        run.SetAction(p => RunCommand.Run(app, Conf(p), p.GetValue(sigOption), p.GetValue(jobId), p.GetValue(outputs), p.GetValue(ranks)));

        var requiredSig = new Option<string>("--from-sig", "-f") { Description = "Signature of the XP", Required = true };
        var cancelCommand = new Command("cancel", "Cancel an XP's pending or running job") { requiredSig, outputs, conf };
        cancelCommand.SetAction(p => CancelCommand.Run(Conf(p), p.GetValue(requiredSig)!, p.GetValue(outputs)));

        var sigs = new Argument<string[]>("sigs") { Arity = ArgumentArity.OneOrMore, Description = "XP signatures" };
        var export = new Command("export", "Print Dora's share string for XPs") { sigs, outputs, conf };
        export.SetAction(p => ShareCommands.Export(Conf(p), p.GetValue(sigs) ?? [], p.GetValue(outputs)));

        var shareText = new Argument<string?>("string") { Arity = ArgumentArity.ZeroOrOne, Description = "The share string (default: read stdin)" };
        var import = new Command("import", "Create the XPs of a share string (from `loom export` or Dora)") { shareText, outputs, conf };
        import.SetAction(p => ShareCommands.Import(Conf(p), p.GetValue(shareText), p.GetValue(outputs)));

        var requiredOutputs = new Option<string>("--outputs") { Required = true };
        var scheduler = new Command("scheduler", "The local scheduler daemon (started on demand)") { requiredOutputs };
        scheduler.Hidden = true;
        scheduler.SetAction(p => SchedulerCommand.Run(app, p.GetValue(requiredOutputs)!));

        var showLog = new Option<bool>("--log", "-l") { Description = "With -f: print the XP's log" };
        var tail = new Option<bool>("--tail", "-t") { Description = "With -f: follow the XP's log until its job ends" };
        var metrics = new Option<bool>("--metrics", "-m") { Description = "With -f: print the XP's last metrics as JSON" };
        var info = new Command("info", "Describe an XP without running it") { overrides, json, fromSig, showLog, tail, metrics, ranks, outputs, conf };
        info.SetAction(p =>
        {
            var views = new[] { (p.GetValue(showLog), InfoView.Log), (p.GetValue(tail), InfoView.Tail), (p.GetValue(metrics), InfoView.Metrics) }.Where(v => v.Item1).ToList();
            if (views.Count > 1) throw new UsageException("-l, -t and -m exclude each other");
            return InfoCommand.Run(app, Conf(p), p.GetValue(overrides) ?? [], p.GetValue(fromSig), p.GetValue(json),
                views.Count == 1 ? views[0].Item2 : InfoView.Describe, p.GetValue(outputs), p.GetValue(ranks));
        });

        var doctor = new Command("doctor", "Say which platform tweaks (loom.platform) apply on this machine and why, one line each") { overrides, conf };
        doctor.SetAction(p => DoctorCommand.Run(Conf(p), p.GetValue(overrides) ?? []));

        // A plain Command as the root, not RootCommand: RootCommand's name (the usage line of --help) is the
        // executable's file name (`Loom.Cli`, or the user's assembly) and cannot be set.
        var root = new Command(app.Name, $"{app.Name}: train neural networks and manage experiments (Loom: Dora/Hydra for .NET)")
            { new System.CommandLine.Help.HelpOption(), new VersionOption(), train, info, grid, search, launch, run, cancelCommand, export, import, doctor };
        // Plugged-in commands (reporting's report, plot, serve) between the built-in ones and the hidden daemon.
        var shared = new AppCommandOptions(app.Name, app.DefaultConf, conf, outputs);
        foreach (var create in app.Commands) root.Add(create(shared));
        root.Add(scheduler);
        return root;
    }
}
