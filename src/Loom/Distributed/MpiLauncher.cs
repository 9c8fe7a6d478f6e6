using System.Diagnostics;

namespace Loom.Distributed;

/// <summary>
/// The <c>mpirun</c> command that starts N ranks of a program on this machine (Open MPI 4.1's mpirun).
/// What each flag is for:
/// <list type="bullet">
/// <item><c>--allow-run-as-root</c> only as root (mpirun refuses root without it).</item>
/// <item><c>--oversubscribe</c> only when N exceeds the cores (else mpirun refuses: "not enough slots");
/// Open MPI then also makes idle ranks yield the CPU.</item>
/// <item><c>--mca plm isolated</c>: every rank on this machine, started by mpirun itself; without it mpirun
/// insists on a remote launch agent and fails when ssh is not installed ("plm_rsh_agent: ssh : rsh"), which
/// openmpi-bin only recommends. Ranks on several nodes go through Slurm (<c>srun --mpi=pmix</c>) instead.</item>
/// <item><c>--bind-to none</c>: each rank sets its own thread count (cores / N), and mpirun's default
/// binds a rank to one core, which would pin a 2-thread rank to a single core.</item>
/// <item><c>-x TERM=dumb</c>: dotnet writes no terminal escape codes into the ranks' logs.</item>
/// <item>The tuned ring all-reduce (<c>coll_tuned_use_dynamic_rules 1</c>, <c>coll_tuned_allreduce_algorithm 4</c>):
/// measured faster than the default on gradient buffers (bench/allreduce).</item>
/// <item><c>-x NAME=value</c> for each extra variable: mpirun passes its own environment to local ranks,
/// <c>-x</c> also reaches ranks on other nodes.</item>
/// </list>
/// A rank that dies (signal, non-zero exit, exit without MPI_Finalize) makes mpirun kill the others and exit
/// non-zero within seconds, printing "mpirun noticed that process rank R ..." (see <see cref="MpiFailure"/>);
/// SIGKILL of mpirun itself ends the ranks too (they lose their daemon).
/// </summary>
public static class MpiLauncher
{
    /// <summary>The ring all-reduce MCA flags (Open MPI's tuned collective component).</summary>
    public static IReadOnlyList<string> RingAllReduceFlags { get; } =
        ["--mca", "coll_tuned_use_dynamic_rules", "1", "--mca", "coll_tuned_allreduce_algorithm", "4"];

    /// <summary>
    /// mpirun's arguments (without "mpirun") to run <paramref name="program"/> with <paramref name="arguments"/> as
    /// <paramref name="ranks"/> ranks, with the extra variables <paramref name="environment"/> in every rank.
    /// <paramref name="cores"/> defaults to this process's processor count; <paramref name="root"/> (whether mpirun
    /// runs as root) to this process's effective user.
    /// </summary>
    public static IReadOnlyList<string> Arguments(int ranks, string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, int? cores = null, bool? root = null)
    {
        if (ranks < 1) throw new ArgumentOutOfRangeException(nameof(ranks), ranks, "at least one rank");
        var args = new List<string> { "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (root ?? Environment.IsPrivilegedProcess) args.Add("--allow-run-as-root");
        if (ranks > (cores ?? Environment.ProcessorCount)) args.Add("--oversubscribe");
        args.AddRange(["--mca", "plm", "isolated", "--bind-to", "none"]);
        args.AddRange(RingAllReduceFlags);
        args.AddRange(["-x", "TERM=dumb"]);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || name.Contains('='))
                throw new ArgumentException($"environment variable name '{name}' is not valid", nameof(environment));
            args.AddRange(["-x", $"{name}={value}"]);
        }
        args.Add(program);
        args.AddRange(arguments);
        return args;
    }

    /// <summary>A start info for mpirun (found on PATH) with <see cref="Arguments"/>; output is not redirected.</summary>
    public static ProcessStartInfo StartInfo(int ranks, string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(FindMpirun()) { UseShellExecute = false };
        foreach (var a in Arguments(ranks, program, arguments, environment)) info.ArgumentList.Add(a);
        info.Environment["TERM"] = "dumb";
        return info;
    }

    /// <summary>mpirun's full path; <see cref="MpiUnavailableException"/> saying what to install when it is missing.</summary>
    public static string FindMpirun()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(dir, "mpirun");
            if (File.Exists(path)) return path;
        }
        throw new MpiUnavailableException("data parallel needs Open MPI's mpirun, not found on PATH (install it: apt-get install openmpi-bin)");
    }
}
