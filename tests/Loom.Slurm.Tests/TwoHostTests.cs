using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Loom.Grids;
using Xunit.Abstractions;

namespace Loom.Slurm.Tests;

/// <summary>
/// Two Slurm hosts on one machine (network + UTS namespaces, <see cref="TwoHostCluster"/>), each test starting and
/// tearing down its own: the hosts run steps under their own names and are gone after `stop`; the real `loom`
/// trains `multinode_smoke` with one rank on each host (Open MPI over TCP between the namespaces), like one process.
/// </summary>
public sealed class TwoHostTests(ITestOutputHelper output)
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

    /// <summary>
    /// What a step cut off on a lost node leaves when its job is requeued and runs again before slurmctld has killed it:
    /// its slurmstepd listening on PMIx's socket for JOB.0 in the node's spool. Planted here for the job about to be
    /// submitted, it makes the first srun step fail to launch on node2 ("Address already in use", as seen in the fault
    /// tests); Loom's batch script starts a new step (JOB.1, another socket) and the XP trains.
    /// </summary>
    [Fact]
    public void AStepThatCannotLaunchBesideAStaleStepOfItsJobIsStartedAgainAsANewStep()
    {
        using var cluster = new TwoHostCluster();
        string work = Directory.CreateTempSubdirectory("loom-2hosts-pmix-").FullName;
        string outputs = Path.Combine(work, "out");
        try
        {
            var env = cluster.Environment;
            string job = Regex.Match(Run("scontrol", ["show", "config"], env).Out, @"NEXT_JOB_ID\s*=\s*(\d+)").Groups[1].Value;
            Assert.NotEqual("", job);
            using var stale = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            stale.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(cluster.Dir, "spool", "node2", $"stepd.slurm.pmix.{job}.0")));
            stale.Listen();
            string loom = Path.Combine(Build, "loom");
            string[] grid = ["grid", "multinode_smoke", "--scheduler", "slurm", "--no-monitor", "--outputs", outputs];
            var submit = Run(loom, grid, env, work);
            Assert.True(submit.Code == 0, submit.Err);
            string table = "";
            WaitFor(() => (table = Run(loom, grid, env, work).Out).Contains(" COM ") || table.Contains(" FAI "), "the XP to complete", 240, () => table);
            string folder = Directory.GetDirectories(Path.Combine(outputs, "xps")).Single();
            string log = File.ReadAllText(Path.Combine(folder, "job.log"));
            Assert.True(table.Contains(" COM "), $"{table}\n{log}");
            Assert.True(log.Contains("aborted before step completely launched"), log);
            Assert.True(log.Contains($"loom: the srun step of job {job} did not launch on every node"), $"{Run("scontrol", ["show", "job", job], env).Out}\n{log}");
            Assert.Matches("Cannot bind\\(\\) UNIX socket .*stepd\\.slurm\\.pmix\\." + job + "\\.0: Address already in use",
                File.ReadAllText(Path.Combine(cluster.Dir, "log", "slurmd-node2.log")));
            Assert.Equal(2, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray().Count);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void AHostLosingItsLinkMidEpochEndsTheJobWithinAMinuteNamingItAndTheRequeuedXpEndsLikeAnUninterruptedOne() =>
        FaultThenResume("node2 loses its link",
            cluster => SlurmCluster.Run("nsenter", $"--net=/run/netns/{cluster.Namespace(2)}", "ip", "link", "set", $"l{cluster.Net}-n2c", "down"),
            cluster => SlurmCluster.Run("nsenter", $"--net=/run/netns/{cluster.Namespace(2)}", "ip", "link", "set", $"l{cluster.Net}-n2c", "up"));

    [Fact]
    public void ASlurmdKilledMidEpochEndsTheJobWithinAMinuteNamingItsHostAndTheRequeuedXpEndsLikeAnUninterruptedOne() =>
        FaultThenResume("node2's slurmd is killed",
            cluster => SlurmCluster.Run("kill", "-KILL", File.ReadAllText(Path.Combine(cluster.Dir, "run", "slurmd-node2.pid")).Trim()),
            cluster => SlurmCluster.Script("start-node", cluster.Dir, "2"));

    /// <summary>
    /// The fault grid's XP (ranks on node1 and node2) is hit by <paramref name="fault"/> early in epoch 2 (epoch 1's
    /// checkpoint written): the job must end within 60 s, its XP's job.log naming node2. Then the operator's
    /// <paramref name="repair"/>; Slurm has requeued the job (JobRequeue, --requeue), which runs again once node2
    /// is back and its stale step gone, resumes from the checkpoint and ends with the history of an uninterrupted
    /// 2-rank run (the equivalence tests' 1e-5).
    /// </summary>
    void FaultThenResume(string what, Func<TwoHostCluster, (int Code, string Out, string Err)> fault, Func<TwoHostCluster, (int Code, string Out, string Err)> repair)
    {
        using var cluster = new TwoHostCluster();
        string work = Directory.CreateTempSubdirectory("loom-2hosts-fault-").FullName;
        string outputs = Path.Combine(work, "out");
        try
        {
            var env = cluster.Environment;
            string loom = Path.Combine(Build, "loom");
            string[] grid = ["grid", "two_host_fault", "--scheduler", "slurm", "--no-monitor", "--outputs", outputs, "--grids", typeof(TwoHostFaultGrid).Assembly.Location];
            var submit = Run(loom, grid, env, work);
            Assert.True(submit.Code == 0, submit.Out + submit.Err);
            string XpFolder() => Directory.Exists(Path.Combine(outputs, "xps")) ? Directory.GetDirectories(Path.Combine(outputs, "xps")).SingleOrDefault() ?? "" : "";
            string Log() => File.Exists(Path.Combine(XpFolder(), "job.log")) ? File.ReadAllText(Path.Combine(XpFolder(), "job.log")) : "(no job.log)";
            string JobId() => Run("squeue", ["-h", "-t", "all", "-o", "%i"], env).Out.Trim();
            string State() => Regex.Match(Run("scontrol", ["show", "job", JobId()], env).Out, @"JobState=(\S+)").Groups[1].Value;
            int Epochs() => File.Exists(Path.Combine(XpFolder(), "history.json")) ? JsonNode.Parse(File.ReadAllText(Path.Combine(XpFolder(), "history.json")))!.AsArray().Count : 0;
            WaitFor(() => Log().Contains("train 2/"), "epoch 2 to start", 300, Log);
            Assert.Equal(1, Epochs());

            var hit = fault(cluster);
            Assert.True(hit.Code == 0, hit.Err);
            var clock = Stopwatch.StartNew();
            WaitFor(() => Regex.IsMatch(Log(), @"error:.*node2") && State() != "RUNNING", $"the job to end after {what}", 60, Log);
            double ended = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{what}: job ended in {ended:F1} s ({State()}); job.log: {Log().Split('\n').First(l => Regex.IsMatch(l, @"error:.*node2"))}");
            Assert.True(Epochs() < TwoHostFaultGrid.Epochs, $"the job finished its training before the fault took effect:\n{Log()}");
            // Loom's own line, from rank 0 on node1 as Slurm ends the step: the lost host and the rank that ran there.
            string TrainLog() => File.Exists(Path.Combine(XpFolder(), "train.log")) ? File.ReadAllText(Path.Combine(XpFolder(), "train.log")) : "";
            var lostLine = new Regex(@"lost host node2 \(Slurm: [a-z]+\*?\) with rank 1 \(pid \d+\)");
            WaitFor(() => lostLine.IsMatch(TrainLog()), "rank 0's line naming the lost host in train.log", 15, () => TrainLog() + "\n" + Log());
            output.WriteLine($"{what}: train.log: {TrainLog().Split('\n').First(l => lostLine.IsMatch(l))}");

            var fixedIt = repair(cluster);
            Assert.True(fixedIt.Code == 0, fixedIt.Err);
            clock.Restart();
            // Back in service, and the step that was cut off gone from node2 (slurmctld has it killed when node2 registers):
            // a relaunch beside it collides on PMIx's socket for the same step id (StepId=J.0, "Address already in use").
            string Node2State() => Run("sinfo", ["-h", "-n", "node2", "-o", "%t"], env).Out.Trim();
            string Node2() => $"node2 {Node2State()}, processes in its namespace: {string.Join(", ", Node2Processes(cluster))}";
            bool BackAndClean() => Node2State() == "idle" && !StaleSteps(cluster);
            // Slurm does both itself within ~40 s here; where it has not after 60 s (seen once on CI, reason unknown), the
            // operator's next steps: kill what is left of the cut-off step (as a reboot would), resume the node.
            if (!TryWaitFor(BackAndClean, 60))
            {
                output.WriteLine($"{what}: after 60 s {Node2()}; killing the leftovers and resuming node2");
                foreach (var pid in StalePids(cluster)) SlurmCluster.Run("kill", "-KILL", pid);
                if (Node2State() != "idle") Run("scontrol", ["update", "NodeName=node2", "State=RESUME"], env);
                WaitFor(BackAndClean, "node2 back, idle and clean", 60, () => $"{Node2()}\n{Log()}");
            }
            Thread.Sleep(2000); // slurmd revokes credentials by the second (see SlurmRequeueTests.StartNowIfHeld)
            Assert.Equal("PENDING", State()); // requeued by Slurm, held ~2 min (BeginTime): make it eligible now
            Run("scontrol", ["update", $"JobId={JobId()}", "StartTime=now"], env);
            string table = "";
            WaitFor(() => (table = Run(loom, grid, env, work).Out).Contains(" COM ") || State() is "FAILED" or "CANCELLED", "the requeued XP to complete", 300, Log);
            Assert.True(table.Contains(" COM "), $"{State()}\n{table}\n{Log()}");
            output.WriteLine($"{what}: requeued XP completed {clock.Elapsed.TotalSeconds:F1} s after the repair");
            string folder = XpFolder();
            Assert.Matches("resum", File.ReadAllText(Path.Combine(folder, "train.log")));
            Assert.Contains("the previous run of this XP had node1 (rank 0), node2 (rank 1)", File.ReadAllText(Path.Combine(folder, "train.log")));
            var ranks = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "ranks.json")))!.AsArray();
            Assert.Equal(["node1", "node2"], ranks.Select(r => r!["host"]!.GetValue<string>()).Order());

            // The same XP uninterrupted, 2 ranks on this machine (mpirun): the same history (2 ranks sum in either order).
            var argv = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ".argv.json")))!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
            var expected = Uninterrupted(loom, argv, Path.GetFileName(folder));
            var resumed = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
            Assert.Equal(TwoHostFaultGrid.Epochs, resumed.Count);
            Assert.Equal(expected.Count, resumed.Count);
            for (int e = 0; e < expected.Count; e++)
                foreach (var split in new[] { "train", "test" })
                    foreach (var metric in new[] { "loss", "accuracy" })
                    {
                        double a = expected[e]![split]![metric]!.GetValue<double>(), b = resumed[e]![split]![metric]!.GetValue<double>();
                        Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)), $"epoch {e + 1} {split}.{metric}: uninterrupted {a}, resumed {b}\n{Log()}");
                    }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    static readonly Dictionary<string, JsonArray> UninterruptedHistories = [];

    /// <summary>
    /// The history of <paramref name="argv"/> trained with 2 ranks by mpirun on this machine, once per test run:
    /// both fault tests train the same XP, and this run is as long as theirs.
    /// </summary>
    static JsonArray Uninterrupted(string loom, string[] argv, string sig)
    {
        lock (UninterruptedHistories)
        {
            if (UninterruptedHistories.TryGetValue(sig, out var known)) return known;
            string work = Directory.CreateTempSubdirectory("loom-2hosts-straight-").FullName;
            try
            {
                var straight = Run(loom, ["train", "-d", "2", .. argv, $"loom.outputs={work}", "--conf", Path.Combine(Build, "conf")], new Dictionary<string, string>(), work, 600);
                Assert.True(straight.Code == 0, straight.Err);
                return UninterruptedHistories[sig] = JsonNode.Parse(File.ReadAllText(Path.Combine(work, "xps", sig, "history.json")))!.AsArray();
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            }
        }
    }

    // Any process in node2's namespace but its slurmd: the old step's slurmstepd or rank.
    static bool StaleSteps(TwoHostCluster cluster) => StalePids(cluster).Any();

    static IEnumerable<string> StalePids(TwoHostCluster cluster) => Node2Pids(cluster).Where(pid => Comm(pid) != "slurmd").ToList();

    static IEnumerable<string> Node2Processes(TwoHostCluster cluster) => Node2Pids(cluster).Select(pid => $"{pid} {Comm(pid)}").ToList();

    static IEnumerable<string> Node2Pids(TwoHostCluster cluster) =>
        SlurmCluster.Run("ip", "netns", "pids", cluster.Namespace(2)).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    static string Comm(string pid) => File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : "(gone)";

    static bool TryWaitFor(Func<bool> done, int seconds)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed.TotalSeconds > seconds) return false;
            Thread.Sleep(500);
        }
        return true;
    }

    static void WaitFor(Func<bool> done, string what, int seconds, Func<string> log)
    {
        if (!TryWaitFor(done, seconds)) throw new Xunit.Sdk.XunitException($"waited {seconds} s for {what}:\n{log()}");
    }
}

/// <summary>
/// The fault tests' XP: 2 ranks, one per host, the reference CNN on one thread each (~16 s an epoch on a quiet 2-core
/// machine, ~11 s on CI's). The fault lands as epoch 2 starts, and the 5 epochs left (≥ 55 s) must outlive its detection:
/// a killed slurmd leaves the ranks training until slurmctld declares node2 DOWN (SlurmdTimeout=20, ~25 s). The MLP
/// (2 s an epoch on CI) finished its 4 epochs before that.
/// </summary>
public sealed class TwoHostFaultGrid : Grid
{
    public const int Epochs = 6;
    public override void Explore(Launcher launcher) =>
        launcher.Slurm(nodes: 2, tasksPerNode: 1, cpus: 1).Launch("data.limit=60000", $"epochs={Epochs}", "threads=1", "progress=plain");
}
