
using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.App.Commands;

/// <summary>
/// `run -f SIG`: one existing XP in the foreground (debugging a grid member), as `train` runs it.
/// With `--job ID` it is the scheduler's worker: it rebuilds the XP from the job, records its pid and its
/// outcome in the store, and its console goes to the XP's job.log.
/// </summary>
public static class RunCommand
{
    public static int Run(LoomAppDefinition app, string confDir, string? sig, long? jobId, string? outputsOption)
    {
        if (jobId is long id) return RunJob(app, CommandContext.OutputsRoot(confDir, outputsOption), id);
        if (sig is null) throw new UsageException("run needs -f SIG (the signature of an XP)");
        string outputs = CommandContext.OutputsRoot(confDir, outputsOption);
        var xp = CommandContext.FindXp(confDir, outputs, sig);
        TrainCommand.RunOne(app, app.Prepare(xp));
        return 0;
    }

    static int RunJob(LoomAppDefinition app, string outputs, long id)
    {
        var job = WorkerReport.Started(outputs, id);
        try
        {
            var r = job.Request;
            var xp = CommandContext.Checked(Xp.Create(r.ConfDir, r.Argv, r.OutputsRoot), r.Sig);
            TrainCommand.RunOne(app, app.Prepare(xp));
        }
        catch (Exception e)
        {
            WorkerReport.Ended(outputs, id, e);
            throw;
        }
        WorkerReport.Ended(outputs, id, null);
        return 0;
    }
}
