using System.Diagnostics;

namespace Loom.Report.Tests;

/// <summary>
/// The browser side of the tests: node scripts in `browser/` that drive Debian's Chromium through npm's
/// playwright-core. The npm packages are installed on first use from the committed package-lock.json
/// (`npm ci`), once per test run.
/// </summary>
public static class Browser
{
    public const string Chromium = "/usr/bin/chromium";

    public static string Folder => Path.Combine(RepoRoot, "tests", "Loom.Report.Tests", "browser");

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Loom.slnx"))) return dir.FullName;
            throw new InvalidOperationException("Loom.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    static readonly Lazy<bool> Installed = new(() =>
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: run scripts/install-deps.sh --tests");
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "playwright-core")))
        {
            var (code, output) = Run("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            if (code != 0) throw new InvalidOperationException($"npm ci failed in {Folder}: {output}");
        }
        return true;
    });

    /// <summary>Runs `node SCRIPT ARGS…` in the browser folder; returns its exit code and its standard output.</summary>
    public static (int Code, string Output) Node(string script, IEnumerable<string> args, TimeSpan timeout)
    {
        _ = Installed.Value;
        return Run("node", [script, .. args], timeout);
    }

    /// <summary>Runs `node SCRIPT ARGS…`; when it prints a line "ready", runs <paramref name="onReady"/>; returns its exit code and output.</summary>
    public static (int Code, string Output) NodeWithCue(string script, IEnumerable<string> args, Action onReady, TimeSpan timeout)
    {
        _ = Installed.Value;
        var info = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        var deadline = DateTime.UtcNow + timeout;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            output.AppendLine(line);
            if (line == "ready") onReady();
            if (DateTime.UtcNow > deadline) { process.Kill(entireProcessTree: true); throw new TimeoutException($"node {script} ran past {timeout}"); }
        }
        process.WaitForExit();
        return (process.ExitCode, output + (process.ExitCode == 0 ? "" : stderr.Result));
    }

    static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran past {timeout}: {stderr.Result}");
        }
        return (process.ExitCode, stdout.Result + (process.ExitCode == 0 ? "" : stderr.Result));
    }
}
