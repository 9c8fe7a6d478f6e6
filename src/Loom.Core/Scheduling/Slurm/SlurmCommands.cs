using System.Diagnostics;

namespace Loom.Scheduling.Slurm;

/// <summary>
/// Runs Slurm's client commands (`sbatch`, `squeue`, `scontrol`, `scancel`) and nothing else: on a real
/// cluster these are all Loom needs. The commands find their cluster as usual ($SLURM_CONF or
/// /etc/slurm/slurm.conf). <see cref="Calls"/> counts them, so that tests and benchmarks can check that a
/// table refresh costs one `squeue`, not one per XP.
/// </summary>
public sealed class SlurmCommands
{
    int calls;

    /// <summary>The folder of the Slurm binaries; null: from $PATH.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>How many Slurm commands this instance ran.</summary>
    public int Calls => Volatile.Read(ref calls);

    public sealed record Result(int Code, string Out, string Err);

    /// <summary>Runs a command; a non-zero exit becomes a <see cref="SlurmException"/> unless <paramref name="check"/> is false.</summary>
    public Result Run(string command, IEnumerable<string> args, bool check = true, string? stdin = null)
    {
        var argList = args.ToList();
        var psi = new ProcessStartInfo(BinDirectory is null ? command : Path.Combine(BinDirectory, command))
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null,
        };
        foreach (var a in argList) psi.ArgumentList.Add(a);
        Interlocked.Increment(ref calls);
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SlurmException($"cannot run {command}: {e.Message} (is Slurm installed? see docs/slurm.md)");
        }
        using (process)
        {
            if (stdin is not null) { process.StandardInput.Write(stdin); process.StandardInput.Close(); }
            var err = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var result = new Result(process.ExitCode, output, err.Result);
            if (check && result.Code != 0)
                throw new SlurmException($"{command} {string.Join(' ', argList)} failed (exit {result.Code}): {FirstLine(result.Err)}");
            return result;
        }
    }

    static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim() is { Length: > 0 } l ? l : "(no message)";
}
