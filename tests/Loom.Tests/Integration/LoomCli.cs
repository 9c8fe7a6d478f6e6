using System.Diagnostics;

namespace Loom.Tests.Integration;

/// <summary>Runs the real `loom` executable built next to this test project, in a scratch folder.</summary>
public sealed class LoomCli : IDisposable
{
    public static readonly string RepoRoot = FindRepoRoot();
    public static readonly string ConfDir = Path.Combine(RepoRoot, "conf");
    public static readonly string FashionMnistRoot = "/usr/share/datasets/fashion-mnist";

    public string WorkDir { get; } = Directory.CreateTempSubdirectory("loom-it-").FullName;
    public string Outputs => Path.Combine(WorkDir, "outputs");
    /// <summary>`LOOM_CACHE_DIR` of the runs (null: the cache is off).</summary>
    public string? CacheDir { get; init; }

    static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The CLI's dll, built in the same configuration as this test assembly.</summary>
    static string CliDll()
    {
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        string dll = Path.Combine(RepoRoot, "src", "Loom.Cli", "bin", configuration, "net10.0", "Loom.Cli.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Loom.Cli first", dll);
    }

    public ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = WorkDir, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(CliDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--conf");
        info.ArgumentList.Add(ConfDir);
        info.Environment["NO_COLOR"] = "1";
        // Tests build damaged copies of the data in scratch folders: keep their decompressed copies out of the
        // user's cache (DecompressedCacheTests sets a folder of its own).
        info.Environment["LOOM_CACHE_DIR"] = CacheDir ?? "off";
        return info;
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public Result Run(params string[] args) => Run(TimeSpan.FromMinutes(5), args);

    public Result Run(TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"loom {string.Join(' ', args)} ran over {timeout}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Overrides of a fast XP on real data (a few seconds per epoch) with the outputs in the scratch folder.
    /// One thread: xunit runs test classes in parallel, and OpenMP threads on oversubscribed cores crawl.</summary>
    public string[] Fast(params string[] more) =>
        ["train", "data.limit=1000", "epochs=3", "progress=plain", "model.channels=8", "threads=1", $"loom.outputs={Outputs}", .. more];

    public string XpFolder(string sig) => Path.Combine(Outputs, "xps", sig);

    public void Dispose()
    {
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }
}
