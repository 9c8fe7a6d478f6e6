using System.Diagnostics;
using Loom.Distributed;

namespace Loom.Distributed.Tests;

/// <summary>Runs the rank program (Ranks/) under the real mpirun, through <see cref="MpiLauncher"/>, or alone.</summary>
static class RankProgram
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public string Output => Stdout + Stderr;
        /// <summary>Lines "rank R name: values" → values, for one rank.</summary>
        public string Value(int rank, string name) =>
            Stdout.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith($"rank {rank} {name}: ", StringComparison.Ordinal))
                ?[$"rank {rank} {name}: ".Length..] ?? throw new Xunit.Sdk.XunitException($"no '{name}' from rank {rank} in:\n{Output}");
    }

    public static string Dll { get; } = FindDll();

    static string FindDll()
    {
        // bin/<Configuration>/net10.0 of this test project → Ranks/bin/<Configuration>/net10.0
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        string configuration = output.Parent!.Name;
        string project = output.Parent.Parent!.Parent!.FullName;
        string dll = Path.Combine(project, "Ranks", "bin", configuration, "net10.0", "Loom.Distributed.Ranks.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build tests/Loom.Distributed.Tests first", dll);
    }

    /// <summary>The rank program as <paramref name="ranks"/> MPI ranks.</summary>
    public static ProcessStartInfo Mpirun(int ranks, params string[] args)
    {
        var info = MpiLauncher.StartInfo(ranks, "dotnet", [Dll, .. args]);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        return info;
    }

    /// <summary>The rank program as a plain process (one rank, no MPI).</summary>
    public static ProcessStartInfo Alone(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    public static Result Run(ProcessStartInfo info, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} ran over its time");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }
}

/// <summary>MPI jobs run one at a time: the machine has two cores, and ranks that spin in MPI calls starve each other.</summary>
[CollectionDefinition("mpi", DisableParallelization = true)]
public sealed class MpiCollection;
