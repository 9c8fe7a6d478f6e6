using Loom.Config;
using Loom.Distributed;
using Loom.Experiments;
using Loom.Logging;
using Loom.Training;
using TorchSharp;

namespace Loom.App.Commands;

/// <summary>
/// `train [overrides…] [-m]`: runs the XP the overrides define in the foreground, resuming from its
/// checkpoint when it has one; `restart=true` wipes its folder first. With `-m`, comma-separated values
/// expand to the cartesian product, one XP each, run one after the other.
/// </summary>
public static class TrainCommand
{
    /// <summary><paramref name="ranks"/> is `-d N`: synchronous data parallel over N processes (null or 1: this process alone).</summary>
    public static int Run(LoomAppDefinition app, string confDir, IReadOnlyList<string> overrides, bool multirun, int? ranks = null)
    {
        if (ranks is < 1) throw new UsageException($"-d {ranks}: expected a positive number of processes");
        var runs = multirun ? Multirun.Expand(overrides) : [overrides];
        // Every XP is composed and bound before any runs: a typo in the third XP of a sweep fails at once.
        var prepared = runs.Select(argv => app.Prepare(Xp.Create(confDir, argv))).ToList();
        int world = ranks ?? 1;
        foreach (var xp in prepared) CheckDivisible(xp, world);
        if (world > 1 && !DataParallelLaunch.InRank)
        {
            DataParallelLaunch.Run(world, app.Args, DataParallelLaunch.ThreadsPerRank(world, overrides), prepared.Count == 1 ? $"XP {prepared[0].Xp.Sig}" : "the sweep");
            return 0;
        }
        if (DataParallelLaunch.InRank)
        {
            DataParallelLaunch.AsRank(app.Name, process =>
            {
                if (process.WorldSize != world) throw new UsageException($"-d {world}: but {process.WorldSize} ranks were started");
                foreach (var xp in prepared) RunOne(app, xp, process);
            });
            return 0;
        }
        foreach (var xp in prepared)
        {
            if (prepared.Count > 1) Console.WriteLine($"=== {xp.Xp.Sig} {xp.Xp.Name}");
            RunOne(app, xp);
        }
        return 0;
    }

    /// <summary>`batch_size` is the global batch: each of the N ranks takes batch_size ÷ N.</summary>
    public static void CheckDivisible(PreparedXp xp, int ranks)
    {
        if (xp.Train.BatchSize % ranks != 0)
            throw new ConfigException($"batch_size={xp.Train.BatchSize}: not divisible by the {ranks} data-parallel processes (-d {ranks}); batch_size is the global batch");
    }

    /// <summary>Runs one prepared XP in this process (also `run -f SIG` and the scheduler's workers).</summary>
    public static void RunOne(LoomAppDefinition app, PreparedXp prepared, ProcessContext? processContext = null)
    {
        var process = processContext ?? ProcessContext.Single;
        var xp = prepared.Xp;
        // Process-wide state, set by the app for this process (the trainer itself never changes it). A data-parallel
        // rank gets its share of the cores from the launcher.
        int threads = int.TryParse(Environment.GetEnvironmentVariable(DataParallelLaunch.ThreadsVariable), out var t) && t > 0 && process.IsDistributed
            ? t : prepared.Train.Threads;
        using var sink = process.IsMain ? new LogSink() : new LogSink(TextWriter.Null, colors: false);
        prepared.Task.Attach(new Tasks.TaskContext(xp, process, sink.For("task"), prepared.Train.Device));
        // The task reads its files while libtorch's native libraries load (the first torch call loads them).
        var reading = Task.Run(prepared.Task.PrepareData);
        var mkl = MklCpuDispatch.Configure(); // loads libtorch; before its first matrix product fixes MKL's kernels
        torch.set_num_threads(threads);
        torch.manual_seed(prepared.Train.Seed);
        // The optimizer's one-time check runs while the files are still being read (free time on the main thread).
        Optim.OptimizerFactory.Prepare(prepared.Optim);
        // The data first: a missing or damaged file is reported before the XP folder is touched.
        reading.GetAwaiter().GetResult(); // rethrows the task's own exception
        var data = prepared.Task.LoadData();
        try
        {
            // One lock from the wipe to the end of training: no other run can write the folder in between. In data
            // parallel rank 0 holds it for all ranks; the others only read the checkpoint.
            using var xpLock = process.IsMain ? XpLock.Acquire(xp.Folder) : null;
            if (process.IsMain)
            {
                if (prepared.Train.Restart) Wipe(xp.Folder);
                xp.WriteDefinition();
            }
            // The folder is ready (wiped on restart, defined) before any other rank reads a checkpoint or logs in it.
            process.Collectives?.Barrier();
            sink.AttachFile(Path.Combine(xp.Folder, process.IsMain ? "train.log" : $"worker_{process.Rank}.log"));
            sink.For("loom").Info($"XP {xp.Sig} {(xp.Name.Length == 0 ? "(default)" : xp.Name)} in {xp.Folder}");
            if (mkl == MklCpuDispatch.Outcome.Enabled)
                sink.For("loom").Info("MKL chooses its kernels by CPU features on this AMD CPU (AVX-512; MKL_ENABLE_INSTRUCTIONS=AVX2 keeps MKL's own choice)");
            var callbacks = new List<ITrainingCallback> { new Reporting.TensorBoardCallback(prepared.TensorBoard, xp.Delta) };
            if (prepared.Train.AdaptiveThreads && !process.IsDistributed)
                callbacks.Add(new ThreadGovernor(threads, torch.set_num_threads, sink.For("loom")));
            callbacks.AddRange(app.Callbacks.Select(create => create(prepared, process)).OfType<ITrainingCallback>());
            using var dataParallel = process.IsDistributed ? new DataParallel(process) { LossDividedByWorldSize = true } : null;
            // Under Slurm: USR1 (time limit near, or preemption) stops at the next step with a mid-epoch checkpoint.
            using var requeue = Scheduling.Slurm.SlurmRequeue.Install(xp.Folder);
            var options = new TrainerOptions
            {
                XpFolder = xp.Folder, Train = prepared.Train, Optim = prepared.Optim, Schedule = prepared.Schedule,
                ConfigYaml = xp.Config.ToYaml(), Sink = sink, Process = process, Callbacks = callbacks, GradientSync = dataParallel,
                StopRequested = requeue is null ? null : () => requeue.StopRequested,
            };
            var trainer = new Trainer(prepared.Task, options);
            var loaded = data;
            data = null; // the trainer owns it now
            try
            {
                var report = trainer.Run(loaded);
                if (process.IsMain) Console.Out.Write(Format(xp, report));
            }
            catch (FitInterruptedException stopped) when (requeue is not null)
            {
                // Dora's rule decides between requeue (preempted, or timed out fewer than max_num_timeout times) and ending.
                var decision = process.IsMain ? requeue.Finish(Console.Out) : null;
                sink.For("loom").Info($"{stopped.Message}; {(decision is null ? "rank 0 decides the requeue" : decision.Reason)}");
                if (decision is { Requeue: false }) throw new Distributed.DistributedException($"XP {xp.Sig}: {stopped.Message}, not requeued ({decision.Reason})");
            }
        }
        finally
        {
            data?.Dispose();
        }
    }

    /// <summary>Deletes the XP's files but keeps the folder (and the lock file this process holds).</summary>
    static void Wipe(string folder)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.Name == XpLock.FileName) continue;
            if (entry is DirectoryInfo d) d.Delete(recursive: true); else entry.Delete();
        }
    }

    static string Format(Xp xp, TrainReport r)
    {
        string Value(double? v) => v is not double d ? "-" : r.Metric.Contains("acc") ? $"{100 * d:F2} %" : $"{d:F4}";
        string metric = r.Metric == "accuracy" ? "" : $" {r.Metric}";
        var lines = new (string Label, string Value)[]
        {
            ("XP", xp.Name.Length == 0 ? "(default)" : xp.Name),
            ("sig", xp.Sig),
            ("folder", xp.Folder),
            ("epochs", $"{r.Epochs}{(r.ResumedFromEpoch > 0 ? $" (resumed after epoch {r.ResumedFromEpoch})" : "")}{(r.StoppedEarly ? " (stopped early)" : "")}"),
            ($"best valid{metric}", Value(r.BestValid)),
            ($"best test{metric}", Value(r.BestTest)),
            ("s/epoch", $"{r.SecondsPerEpoch:F1}"),
            ("samples/s", $"{r.TrainSamplesPerSecond:F0} (training)"),
        };
        int width = Math.Max(12, lines.Max(l => l.Label.Length + 2));
        return "\n" + string.Concat(lines.Select(l => l.Label.PadRight(width) + l.Value + "\n")) + "\n";
    }
}
