using System.Text.RegularExpressions;

namespace Loom.Distributed;

/// <summary>
/// Which rank ended an mpirun job, read from mpirun's own report (Open MPI 4.1 writes one of four forms:
/// "MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD with errorcode 1", "process rank 1 with
/// PID 0 on node vm exited on signal 9 (Killed)", "Process name: [[5597,1],1] Exit code: 3", "mpirun has
/// exited due to process rank 1 ... exiting improperly"), so the CLI can say in one line which rank failed and how:
/// the reason reads "aborted with error code 1", "exited on signal 9 (Killed)", "exited with status 3" or
/// "exited without MPI_Finalize".
/// </summary>
public sealed partial record MpiFailure(int Rank, string Reason)
{
    /// <summary>The failure reported in mpirun's output, or null when it names no rank.</summary>
    public static MpiFailure? Find(string mpirunOutput)
    {
        var text = Regex.Replace(mpirunOutput, @"\s+", " ");
        if (Aborted().Match(text) is { Success: true } aborted)
            return new MpiFailure(Int(aborted.Groups[1]), $"aborted with error code {aborted.Groups[2].Value}");
        if (Signal().Match(text) is { Success: true } signal)
            return new MpiFailure(Int(signal.Groups[1]), signal.Groups[2].Value);
        if (ExitCode().Match(text) is { Success: true } exit)
            return new MpiFailure(Int(exit.Groups[1]), $"exited with status {exit.Groups[2].Value}");
        if (Improper().Match(text) is { Success: true } improper)
            return new MpiFailure(Int(improper.Groups[1]), "exited without MPI_Finalize");
        return null;
    }

    public override string ToString() => $"rank {Rank} {Reason}";

    static int Int(Group g) => int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"MPI_ABORT was invoked on rank (\d+) in communicator \S+ with errorcode (\d+)")]
    private static partial Regex Aborted();

    [GeneratedRegex(@"process rank (\d+) with PID \d+ on node \S+ (exited on signal \d+ \([^)]*\))")]
    private static partial Regex Signal();

    [GeneratedRegex(@"Process name: \[\[\d+,\d+\],(\d+)\] Exit code: (\d+)")]
    private static partial Regex ExitCode();

    [GeneratedRegex(@"mpirun has exited due to process rank (\d+)")]
    private static partial Regex Improper();
}
