using System.Diagnostics;
using System.Text;
using Loom.Distributed;

namespace Loom.App;

/// <summary>
/// `-d N` (and grid XPs with `tasks: N`): the command starts N ranks of the app itself under Open MPI's mpirun,
/// with the same arguments; each rank finds itself launched (<see cref="DistributedEnvironment"/>), joins the
/// group and trains its share. The launching process only forwards the ranks' output and turns a failed job
/// into one line naming the rank. Under Slurm, `srun --mpi=pmix` starts the ranks instead: same rank code path.
/// </summary>
public static class DataParallelLaunch
{
    /// <summary>The variable that gives each rank its thread count (cores ÷ N unless the XP sets `threads`).</summary>
    public const string ThreadsVariable = "LOOM_RANK_THREADS";

    /// <summary>True in a process that mpirun or srun started as one of several ranks.</summary>
    public static bool InRank => DistributedEnvironment.Read().WorldSize > 1;

    /// <summary>Threads per rank: the XP's explicit `threads=` override, else the cores shared by the ranks.</summary>
    public static int ThreadsPerRank(int ranks, IEnumerable<string> argv)
    {
        var explicitThreads = argv.LastOrDefault(a => a.TrimStart('+').StartsWith("threads=", StringComparison.Ordinal));
        if (explicitThreads is not null && int.TryParse(explicitThreads.Split('=', 2)[1], out int n) && n > 0) return n;
        return Math.Max(1, Environment.ProcessorCount / ranks);
    }

    /// <summary>Runs <paramref name="ranks"/> copies of this app with <paramref name="args"/> and waits; throws naming the failed rank.</summary>
    public static void Run(int ranks, IReadOnlyList<string> args, int threadsPerRank, string what)
    {
        var self = Commands.CommandContext.SelfCommand();
        var info = MpiLauncher.StartInfo(ranks, self[0], [.. self.Skip(1), .. args],
            new Dictionary<string, string> { [ThreadsVariable] = threadsPerRank.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var transcript = new StringBuilder();
        using var mpirun = new Process { StartInfo = info };
        mpirun.OutputDataReceived += (_, e) => Forward(e.Data, Console.Out, transcript);
        mpirun.ErrorDataReceived += (_, e) => Forward(e.Data, Console.Error, transcript);
        mpirun.Start();
        mpirun.BeginOutputReadLine();
        mpirun.BeginErrorReadLine();
        mpirun.WaitForExit();
        if (mpirun.ExitCode == 0) return;
        var failure = MpiFailure.Find(transcript.ToString());
        // A diverged loss is decided on every rank at the same step (GradientStepper): the job keeps its exit code 3.
        if (failure?.Reason == $"exited with status {UserError.Diverged}")
            throw new Training.DivergedException($"{what} on {ranks} ranks: the training loss diverged (the ranks' error above names the epoch and step)");
        throw new DistributedException($"{what} on {ranks} ranks failed: " +
            (failure is null ? $"mpirun exited with status {mpirun.ExitCode}" : $"{failure} (see worker_<rank>.log in the XP folder)"));
    }

    // mpirun's own multi-line report is kept for MpiFailure but not echoed: the one-line error says it.
    static void Forward(string? line, TextWriter to, StringBuilder transcript)
    {
        if (line is null) return;
        lock (transcript) transcript.AppendLine(line);
        if (line.StartsWith("----", StringComparison.Ordinal) || MpirunChatter(line)) return;
        lock (to) to.WriteLine(line);
    }

    static bool MpirunChatter(string line) =>
        line.Contains("mpirun noticed", StringComparison.Ordinal) || line.Contains("Primary job  terminated normally", StringComparison.Ordinal)
        || line.StartsWith("Process name:", StringComparison.Ordinal) || line.StartsWith("  Process name:", StringComparison.Ordinal)
        || line.Contains("MPI_ABORT was invoked", StringComparison.Ordinal) || line.StartsWith("  Exit code:", StringComparison.Ordinal);

    /// <summary>
    /// The body of one rank: joins the group, runs <paramref name="body"/>, and ends MPI on every path (an error
    /// on this rank is printed and exits at once: the others may wait in a collective this rank will never join).
    /// </summary>
    public static void AsRank(string program, Action<ProcessContext> body)
    {
        var process = DistributedEnvironment.Detect();
        try
        {
            body(process);
        }
        catch (Exception e)
        {
            int code = UserError.ExitCode(e) ?? 70;
            if (UserError.ExitCode(e) is null) Console.Error.WriteLine($"rank {process.Rank}: {e}");
            else UserError.Report($"{program} (rank {process.Rank})", e, code);
            process.End(code); // does not return
        }
        process.End(0);
    }
}
