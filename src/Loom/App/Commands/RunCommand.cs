using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.App.Commands;

/// <summary>
/// `run -f SIG [-d N]`: one existing XP in the foreground (debugging a grid member), as `train` runs it.
/// With `--job ID` it is the scheduler's worker: it rebuilds the XP from the job, records its pid and its
/// outcome in the store, and its console goes to the XP's job.log; a job with several tasks starts that many
/// data-parallel ranks of this app (the ranks train; only this process reports to the store).
/// </summary>
public static class RunCommand
{
    public static int Run(LoomAppDefinition app, string confDir, string? sig, long? jobId, string? outputsOption, int? ranks = null)
    {
        if (ranks is < 1) throw new UsageException($"-d {ranks}: expected a positive number of processes");
        if (jobId is long id) return RunJob(app, CommandContext.OutputsRoot(confDir, outputsOption), id);
        if (sig is null) throw new UsageException("run needs -f SIG (the signature of an XP)");
        string outputs = CommandContext.OutputsRoot(confDir, outputsOption);
        var prepared = app.Prepare(CommandContext.FindXp(confDir, outputs, sig));
        Train(app, prepared, ranks ?? 1);
        return 0;
    }

    static int RunJob(LoomAppDefinition app, string outputs, long id)
    {
        if (DataParallelLaunch.InRank) // one of the job's ranks: train, the launching worker reports
        {
            JobRequest request;
            using (var store = new JobStore(new SchedulerPaths(outputs).Database)) // closed before training: a rank only reads its job
                request = (store.Get(id) ?? throw new UsageException($"no job {id}")).Request;
            Train(app, Prepare(app, request), request.Resources.Tasks);
            return 0;
        }
        var job = WorkerReport.Started(outputs, id);
        try
        {
            Train(app, Prepare(app, job.Request), Math.Max(1, job.Request.Resources.Tasks));
        }
        catch (Exception e)
        {
            WorkerReport.Ended(outputs, id, e);
            throw;
        }
        WorkerReport.Ended(outputs, id, null);
        return 0;
    }

    static PreparedXp Prepare(LoomAppDefinition app, JobRequest r) =>
        app.Prepare(CommandContext.Checked(Xp.Create(r.ConfDir, r.Argv, r.OutputsRoot), r.Sig));

    /// <summary>Trains in this process, as one rank of several, or by starting the ranks.</summary>
    static void Train(LoomAppDefinition app, PreparedXp prepared, int ranks)
    {
        TrainCommand.CheckDivisible(prepared, ranks);
        if (DataParallelLaunch.InRank)
            DataParallelLaunch.AsRank(app.Name, process => TrainCommand.RunOne(app, prepared, process));
        else if (ranks > 1)
            DataParallelLaunch.Run(ranks, app.Args, DataParallelLaunch.ThreadsPerRank(ranks, prepared.Xp.Argv), $"XP {prepared.Xp.Sig}");
        else
            TrainCommand.RunOne(app, prepared);
    }
}
