using Loom.Distributed;
using Loom.Experiments;
using Loom.Logging;
using Loom.Platform;
using Loom.Scheduling.Slurm;
using Loom.Training;
using TorchSharp;

namespace Loom.App;

/// <summary>
/// Loom's composition root for one XP: turns a <see cref="PreparedXp"/> and this process's place in the run
/// (<see cref="ProcessContext"/>) into a finished training, the way `loom train`, `loom run` and the scheduler's
/// workers do — and the way an app or a notebook does with <c>new XpRun(prepared).Run()</c>. In order: the
/// task's files read while libtorch loads, the process's torch settings (threads, seed, MKL's kernels), the data,
/// the XP lock, the folder (wiped on `restart`, defined), the log file, the callbacks (TensorBoard, the thread
/// governor, <see cref="Callbacks"/>), Slurm's requeue signal, then <see cref="Trainer.Run"/> (which picks data
/// parallel from the process by itself).
/// </summary>
public sealed class XpRun(PreparedXp prepared, ProcessContext? process = null)
{
    readonly ProcessContext process = process ?? ProcessContext.Single;

    /// <summary>The app's own callbacks, after Loom's (TensorBoard, the thread governor).</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>
    /// Trains the XP (resuming from its checkpoint when it has one). Returns the report; null when the fit stopped
    /// for a Slurm requeue (checkpoint written, job requeued). A data-parallel rank other than 0 returns its own report.
    /// </summary>
    public TrainReport? Run()
    {
        var xp = prepared.Xp;
        var train = prepared.Train;
        // Process-wide state, set here for this process (the trainer itself never changes it). A data-parallel rank
        // gets its share of the cores from the launcher.
        int threads = int.TryParse(Environment.GetEnvironmentVariable(DataParallelLaunch.ThreadsVariable), out var t) && t > 0 && process.IsDistributed
            ? t : train.Threads;
        using var sink = process.IsMain ? new LogSink() : new LogSink(TextWriter.Null, colors: false);
        var callbacks = new List<ITrainingCallback> { new TensorBoardCallback(prepared.TensorBoard, xp.Delta) };
        // A search's rung (docs/search.md): stop after that epoch; the XP keeps its full budget and schedule.
        if (xp.Config.TryGet<long>(Searches.SearchRun.StopAfterKey, out var stopAfter) && stopAfter > 0) callbacks.Add(new EpochBudget((int)stopAfter));
        callbacks.AddRange(Callbacks);
        // Under Slurm: USR1 (time limit near, or preemption) stops at the next step with a mid-epoch checkpoint.
        using var requeue = SlurmRequeue.Install(xp.Folder);
        var trainer = new Trainer(prepared.Task, new TrainerOptions // attaches the task's context: PrepareData may use it
        {
            XpFolder = xp.Folder, Xp = xp, Train = train, Optim = prepared.Optim, Schedule = prepared.Schedule, Catalog = prepared.Catalog,
            ConfigYaml = xp.Config.ToYaml(), Sink = sink, Process = process, Callbacks = callbacks,
            StopRequested = requeue is null ? null : () => requeue.StopRequested,
        });

        // Before anything touches TorchSharp: the libstdc++ requirement, glibc's malloc thresholds (loom.platform).
        PlatformTweaks.BeforeTorch(prepared.Platform, sink.For("loom"));
        // The task reads its files while libtorch's native libraries load (the first torch call loads them).
        var reading = Task.Run(prepared.Task.PrepareData);
        var mkl = PlatformTweaks.LoadTorch(prepared.Platform, sink.For("loom")); // loads libtorch; before its first matrix product fixes MKL's kernels
        torch.set_num_threads(threads);
        torch.manual_seed(train.Seed);
        // The optimizer's one-time check runs while the files are still being read (free time on the main thread).
        prepared.Catalog.Optimizer(prepared.Optim.Name).Prepare(prepared.Optim);
        // The data first: a missing or damaged file is reported before the XP folder is touched.
        reading.GetAwaiter().GetResult(); // rethrows the task's own exception
        var data = prepared.Task.LoadData();
        // The loader's workers run beside libtorch's threads: they take their share of the XP's `threads`, and the
        // governor adapts what libtorch keeps.
        int torchThreads = Math.Max(1, threads - data.Loader.Workers);
        if (torchThreads != threads) torch.set_num_threads(torchThreads);
        if (train.AdaptiveThreads && !process.IsDistributed) callbacks.Insert(1, new ThreadGovernor(torchThreads, n => torch.set_num_threads(n), sink.For("loom")));
        try
        {
            // One lock from the wipe to the end of training: no other run can write the folder in between. In data
            // parallel rank 0 holds it for all ranks; the others only read the checkpoint.
            using var xpLock = process.IsMain ? XpLock.Acquire(xp.Folder) : null;
            if (process.IsMain)
            {
                if (train.Restart) Wipe(xp.Folder);
                xp.WriteDefinition();
            }
            // The folder is ready (wiped on restart, defined) before any other rank reads a checkpoint or logs in it.
            process.Collectives?.Barrier();
            var (places, before) = RecordPlaces(xp.Folder, threads);
            sink.AttachFile(Path.Combine(xp.Folder, process.IsMain ? "train.log" : $"worker_{process.Rank}.log"));
            sink.For("loom").Info($"XP {xp.Sig} {(xp.Name.Length == 0 ? "(default)" : xp.Name)} in {xp.Folder}");
            // A run after an interrupted one (a requeue after a lost host): where the earlier ranks were, beside where they are now.
            if (before is not null) sink.For("loom").Info($"the previous run of this XP had {RankPlaces.Summary(before)}; this one has {RankPlaces.Summary(places)}");
            // A host lost mid-run: Slurm ends the step; rank 0 names the host and its ranks before it goes.
            using var lostHosts = process.IsMain ? SlurmLostHosts.Watch(places, line => sink.For("loom").Error(line)) : null;
            foreach (var warning in prepared.Warnings.Concat(DataWarnings(data))) sink.For("loom").Warning(warning);
            if (data.Loader.Workers > 0)
                sink.For("loom").Info($"data loader: {data.Loader.Workers} worker{(data.Loader.Workers == 1 ? "" : "s")}, {data.Loader.Prefetch} batches ahead; libtorch uses {torchThreads} of threads={threads}");
            if (mkl == MklCpuDispatch.Outcome.Enabled) sink.For("loom").Info("MKL chooses its kernels by CPU features on this AMD CPU (AVX-512; MKL_ENABLE_INSTRUCTIONS=AVX2 keeps MKL's own choice)");
            var loaded = data;
            data = null; // the trainer owns it now
            try
            {
                return trainer.Run(loaded);
            }
            catch (FitInterruptedException stopped) when (requeue is not null)
            {
                // Dora's rule decides between requeue (preempted, or timed out fewer than max_num_timeout times) and ending.
                var decision = process.IsMain ? requeue.Finish(Console.Out) : null;
                sink.For("loom").Info($"{stopped.Message}; {(decision is null ? "rank 0 decides the requeue" : decision.Reason)}");
                if (decision is { Requeue: false }) throw new DistributedException($"XP {xp.Sig}: {stopped.Message}, not requeued ({decision.Reason})");
                return null;
            }
        }
        finally
        {
            data?.Dispose();
        }
    }

    /// <summary>Settings larger than the data set turned out to be (<see cref="MachineLimits.DataWarnings"/>).</summary>
    IEnumerable<string> DataWarnings(Tasks.TaskData data)
    {
        long? limit = prepared.Xp.Config.TryGet<long>("data.limit", out var l) ? l : null;
        int limited = data.Train.Count + (data.Valid?.Count ?? 0); // the limit is taken before the validation split
        return MachineLimits.DataWarnings(prepared.Train.BatchSize, data.Train.Count, limit, limited);
    }

    /// <summary>
    /// ranks.json: every rank says where it runs (a collective: all ranks call it), rank 0 writes the list. Returns
    /// the list and, on rank 0, the previous run's (null when there was none, or it cannot be read).
    /// </summary>
    (IReadOnlyList<RankPlace> Places, IReadOnlyList<RankPlace>? Before) RecordPlaces(string folder, int threads)
    {
        var mine = new RankPlace(process.Rank, Environment.MachineName, Environment.ProcessId, threads);
        var all = TextGather.All(process, RankPlaces.ToLine(mine)).Select(RankPlaces.FromLine).ToList();
        if (!process.IsMain) return (all, null);
        IReadOnlyList<RankPlace>? before;
        try { before = RankPlaces.Read(folder); }
        catch (InvalidDataException) { before = null; } // a damaged file of an earlier run: replaced below
        RankPlaces.Write(folder, all);
        return (all, before);
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
}
