using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Loom.Slurm.Tests;

/// <summary>
/// Two Slurm hosts on one machine (network + UTS namespaces, <see cref="TwoHostCluster"/>), each test starting and
/// tearing down its own: the hosts run steps under their own names and are gone after `stop`; the real `loom`
/// trains `multinode_smoke` with one rank on each host (Open MPI over TCP between the namespaces), like one process.
/// </summary>
public sealed class TwoHostTests
{
    static readonly string Build = Path.Combine(SlurmCluster.RepoRoot, "src/Loom.Cli/bin", SlurmFixture.Configuration, "net10.0");

    static (int Code, string Out, string Err) Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, string? work = null, int seconds = 180)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work ?? Environment.CurrentDirectory };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(seconds * 1000)) { p.Kill(true); throw new TimeoutException($"{file} {string.Join(' ', args)}"); }
        return (p.ExitCode, o.Result, e.Result);
    }

    [Fact]
    public void TwoHostsRunStepsUnderTheirOwnNamesAndStopLeavesNoNamespaceOrLink()
    {
        TwoHostCluster cluster;
        using (cluster = new TwoHostCluster())
        {
            Assert.True(cluster.StartTime < TimeSpan.FromSeconds(30), $"start took {cluster.StartTime}");
            string conf = File.ReadAllText(cluster.Conf);
            Assert.Contains($"NodeName=node1 NodeAddr=10.{cluster.Net}.0.2 ", conf);
            Assert.Contains($"NodeName=node2 NodeAddr=10.{cluster.Net}.0.3 ", conf);
            string output = Path.Combine(cluster.Dir, "hostnames.txt");
            var job = Run("sbatch", ["--wait", "-N", "2", "--ntasks-per-node=1", $"--output={output}", "--wrap", "srun --mpi=pmix hostname"], cluster.Environment);
            Assert.True(job.Code == 0, job.Err + (File.Exists(output) ? File.ReadAllText(output) : ""));
            Assert.Equal(["node1", "node2"], File.ReadAllLines(output).Order());
        }
        Assert.DoesNotContain(cluster.Namespace(1), SlurmCluster.Run("ip", "netns", "list").Out);
        Assert.DoesNotContain(cluster.Namespace(2), SlurmCluster.Run("ip", "netns", "list").Out);
        Assert.DoesNotContain($"loom{cluster.Net}-", SlurmCluster.Run("ip", "-o", "link").Out);
        Assert.DoesNotContain($"l{cluster.Net}-n", SlurmCluster.Run("ip", "-o", "link").Out);
    }

    [Fact]
    public void MultinodeSmokeTrainsOneRankOnEachHostLikeOneProcess()
    {
        using var cluster = new TwoHostCluster();
        string work = Directory.CreateTempSubdirectory("loom-2hosts-").FullName;
        string outputs = Path.Combine(work, "out");
        try
        {
            var env = cluster.Environment;
            string loom = Path.Combine(Build, "loom");
            string[] grid = ["grid", "multinode_smoke", "--scheduler", "slurm", "--no-monitor", "--outputs", outputs];
            var submit = Run(loom, grid, env, work);
            Assert.True(submit.Code == 0, submit.Err);
            var clock = Stopwatch.StartNew();
            string table = "";
            while (!table.Contains(" COM "))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(240), $"not COMPLETED in 240 s:\n{table}");
                Assert.DoesNotContain(" FAI ", table);
                Thread.Sleep(1000);
                table = Run(loom, grid, env, work).Out;
            }
            string folder = Directory.GetDirectories(Path.Combine(outputs, "xps")).Single();
            string log = File.ReadAllText(Path.Combine(folder, "job.log"));

            var ranks = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "ranks.json")))!.AsArray();
            Assert.Equal(["node1", "node2"], ranks.Select(r => r!["host"]!.GetValue<string>()).Order());
            Assert.Contains("(16 on each of 2 ranks)", File.ReadAllText(Path.Combine(folder, "train.log")) + log);
            Assert.Contains("export OMPI_MCA_btl=", File.ReadAllText(Directory.GetFiles(Path.Combine(outputs, ".loom", "slurm"), "job.sh", SearchOption.AllDirectories).Single()));

            // The same XP in one process here: the same training to float32 rounding (the single-node test's 1e-5).
            var argv = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ".argv.json")))!.AsArray().Select(a => a!.GetValue<string>());
            var one = Run(loom, ["train", .. argv, $"loom.outputs={Path.Combine(work, "one")}", "--conf", Path.Combine(Build, "conf")], new Dictionary<string, string>(), work);
            Assert.True(one.Code == 0, one.Err);
            var single = JsonNode.Parse(File.ReadAllText(Path.Combine(work, "one", "xps", Path.GetFileName(folder), "history.json")))!.AsArray();
            var spread = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
            Assert.Equal(2, spread.Count);
            Assert.Equal(single.Count, spread.Count);
            for (int e = 0; e < single.Count; e++)
                foreach (var split in new[] { "train", "test" })
                    foreach (var metric in new[] { "loss", "accuracy" })
                    {
                        double a = single[e]![split]![metric]!.GetValue<double>(), b = spread[e]![split]![metric]!.GetValue<double>();
                        Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)), $"epoch {e + 1} {split}.{metric}: 1 process {a}, 2 hosts {b}\n{log}");
                    }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
