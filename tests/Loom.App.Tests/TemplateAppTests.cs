using System.Text.Json.Nodes;

namespace Loom.App.Tests;

/// <summary>
/// A user's own task through the public API only, as a user gets it: `scripts/pack.sh` packs the packages
/// (a unique version, so NuGet's cache never serves an older copy), `dotnet new loom-app` generates a
/// character-level language model app referencing them, and the app trains, resumes and runs its grid on
/// the local scheduler to COMPLETED; then the `loom` tool is installed from the same feed and run (ReadyToRun, tiering off).
/// One test, steps in order: packing and restoring dominate (minutes), so they happen once.
/// </summary>
public sealed class TemplateAppTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("loom-app-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void GeneratedAppTrainsResumesAndRunsItsGridAndTheToolRuns()
    {
        string version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        string feed = Path.Combine(root, "feed");
        Shell.Ok(Shell.Run(Shell.RepoRoot, "bash", ["scripts/pack.sh", feed], 900, new Dictionary<string, string> { ["LOOM_VERSION"] = version }), "pack");
        foreach (var package in new[] { "Loom.Core", "Loom.TensorBoard", "Loom.Reporting", "Loom", "Loom.TorchVision", "Loom.Cli", "Loom.Templates" })
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{version}.nupkg")), $"{package} {version} not packed");

        // dotnet new, in a private template hive so the machine's templates are untouched.
        string hive = Path.Combine(root, "hive");
        Shell.Ok(Shell.Run(root, "dotnet", ["new", "install", Path.Combine(feed, $"Loom.Templates.{version}.nupkg"), "--debug:custom-hive", hive]), "template install");
        Shell.Ok(Shell.Run(root, "dotnet", ["new", "loom-app", "-n", "CharLm", "-o", "CharLm", "--debug:custom-hive", hive]), "dotnet new loom-app");
        string app = Path.Combine(root, "CharLm");
        Assert.Contains($"Version=\"{version}\"", File.ReadAllText(Path.Combine(app, "CharLm.csproj")));
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><add key="loom-test" value="{feed}" /></packageSources></configuration>
            """);
        Shell.Ok(Shell.Run(app, "dotnet", ["build", "-c", "Release", "-nologo", "-v", "quiet"], 900), "build the app");
        string exe = Path.Combine(app, "bin", "Release", "net10.0", "CharLm");

        // Published, the app carries libtorch (its TorchSharp-cpu: the app chooses the backend, Loom references TorchSharp)
        // and neither ASP.NET Core nor SkiaSharp's natives: Loom references no reporting, and TorchVision's models are
        // Loom.TorchVision's. (SkiaSharp.dll, managed only, stays: TorchSharp itself depends on the SkiaSharp package.)
        string published = Path.Combine(app, "published");
        Shell.Ok(Shell.Run(app, "dotnet", ["publish", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", published, "-nologo", "-v", "quiet"], 900), "publish the app");
        var files = Directory.GetFiles(published, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("libtorch_cpu.so", files);
        Assert.Contains("TorchSharp.dll", files);
        string[] unwanted = ["Microsoft.AspNetCore", "libSkiaSharp", "SkiaSharp.HarfBuzz", "libHarfBuzzSharp", "HarfBuzzSharp", "ScottPlot", "TorchVision", "Loom.Reporting"];
        Assert.DoesNotContain(files, f => unwanted.Any(u => f!.StartsWith(u, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain("Microsoft.AspNetCore", File.ReadAllText(Path.Combine(published, "CharLm.runtimeconfig.json")));
        Assert.DoesNotContain("Microsoft.AspNetCore", File.ReadAllText(Path.Combine(published, "CharLm.deps.json")));
        // The published libLibTorchSharp.so is NuGet's (no build patch outside this repo): the app decides on this
        // machine, before libtorch loads, and doctor then loads it (one line per tweak, exit 0).
        var doctor = Shell.Ok(Shell.Run(app, Path.Combine(published, "CharLm"), ["doctor"]), "doctor of the published app").Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(["glibcxx", "mallopt", "mkl_dispatch", "thread_governor", "crash_points"], doctor.Select(l => l.Split(':')[0]));
        Assert.Matches("^glibcxx: (applies — .*: its requirement is now weak|not needed — .* provides every version)", doctor[0]);
        string outputs = Path.Combine(app, "outputs");

        // Help names the app; info binds like train (a typo in a closed section, a bad value: exit 2, one line).
        Assert.Contains("charlm [command]", Shell.Run(app, exe, ["--help"]).Stdout);
        var bad = Shell.Run(app, exe, ["info", "model.heads=3"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("model.dim=64: not divisible by model.heads=3", bad.Stderr);

        // Two short epochs, killed for real (SIGKILL) right after the first; the same command resumes it.
        string[] xp = ["train", "epochs=2", "data.limit=12000", "threads=1", "progress=plain", "model.dim=32"];
        var killed = Shell.Run(app, exe, xp, environment: new Dictionary<string, string> { ["LOOM_TEST_ONLY_SIGKILL_AT"] = "epoch.ended" });
        Assert.Equal(137, killed.ExitCode);
        string sig = Shell.Ok(Shell.Run(app, exe, ["info", .. xp[1..], "--json"]), "info").Stdout.Split('"')[3];
        string folder = Path.Combine(outputs, "xps", sig);
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        Assert.Single(history);
        var valid = history[0]!["valid"]!.AsObject();
        Assert.Equal(["loss", "accuracy", "perplexity"], valid.Select(kv => kv.Key));
        Assert.Equal(Math.Exp(valid["loss"]!.GetValue<double>()), valid["perplexity"]!.GetValue<double>(), 9);
        Assert.True(history[0]!["train"]!["loss"]!.GetValue<double>() < Math.Log(80), "the first epoch should beat a uniform guess over the characters");

        var resumed = Shell.Ok(Shell.Run(app, exe, xp), "resume");
        Assert.Contains("resumed after epoch 1", resumed.Stdout);
        Assert.Equal(sig, Line(resumed.Stdout, "sig"));
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray().Count);

        // The app's grid on the local scheduler: its workers run the app itself.
        var grid = Shell.Ok(Shell.Run(app, exe, ["grid", "lr", "--no-monitor"]), "grid lr");
        Assert.Contains("opt.lr=0.001", grid.Stdout); // 3e-3 is the default: absent from the names, as in Dora
        Shell.WaitFor(() =>
        {
            var table = Shell.Run(app, exe, ["grid", "lr", "--no-monitor"]).Stdout;
            Assert.DoesNotContain(" FAI ", table); // the table's short states: PEN, RUN, COM, FAI, CAN
            return table.Split('\n').Count(l => l.Contains(" COM ")) == 4;
        }, "the 4 XPs of grid lr to complete", 600);

        // The `loom` tool from the same feed, in a private tool path.
        string tools = Path.Combine(root, "tools");
        Shell.Ok(Shell.Run(root, "dotnet", ["tool", "install", "Loom.Cli", "--tool-path", tools, "--add-source", feed, "--version", version], 900), "tool install");
        string loom = Path.Combine(tools, "loom");
        var info = Shell.Ok(Shell.Run(root, loom, ["info", "optim.lr=0.01"]), "loom info");
        Assert.Contains("sig:    a71221d9", info.Stdout); // the reference task's signature, as `loom` built from source gives it
        Assert.Contains("loom [command]", Shell.Run(root, loom, ["--help"]).Stdout);
        var train = Shell.Ok(Shell.Run(root, loom, ["train", "epochs=1", "data.limit=500", "model=mlp", "threads=1", "progress=none",
            $"loom.outputs={Path.Combine(root, "tool-outputs")}"]), "loom train from the tool");
        Assert.Matches(@"test +\d+\.\d\d % \(epoch 1, best valid\.accuracy\)", train.Stdout);
        // The tool is README command 1's program: ReadyToRun code, tiering off (src/Loom.Cli/Loom.Cli.csproj).
        string installed = Path.GetDirectoryName(Directory.GetFiles(Path.Combine(tools, ".store"), "Loom.Cli.runtimeconfig.json", SearchOption.AllDirectories).Single())!;
        Assert.Matches("\"System.Runtime.TieredCompilation\": false", File.ReadAllText(Path.Combine(installed, "Loom.Cli.runtimeconfig.json")));
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(Path.Combine(installed, "Loom.dll")));
        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "the tool's Loom.dll has no ReadyToRun code");
    }

    static string Line(string report, string label) =>
        report.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(label + " ")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
}
