using System.Text.Json.Nodes;
using Loom.IO;
using Loom.Scheduling;
using Loom.Scheduling.Slurm;

// `worker submit OUTPUTS DIR N`: a submitter for the kill tests; N held XPs `k0..k{N-1}`, one sbatch each.
if (args[0] == "submit")
{
    string root = args[1], dir = args[2];
    var held = new Resources(Cpus: 1) { Sbatch = ["--hold"] };
    using var submitter = new SlurmScheduler(root, new SlurmOptions(["/bin/true"]) { WorkingDirectory = dir, UseArrays = false });
    submitter.Submit([.. Enumerable.Range(0, int.Parse(args[3])).Select(i => new JobRequest($"k{i}", [], dir, root, Path.Combine(root, "xps", $"k{i}"), held))]);
    return 0;
}

// `worker run -f SIG --outputs ROOT`, as the scheduler runs `loom`. The XP's overrides (from the Slurm
// store) say what to do: work=STEPS (100 ms each), exit=CODE at the end. Each step is checkpointed
// (checkpoint.txt); a restarted run resumes from it. Every start appends one line to runs.txt:
// `start JOB RESTARTS PROCID VERSION FROM_STEP`, so the tests see requeues, ranks and the code version.
string sig = args[Array.IndexOf(args, "-f") + 1];
string outputs = args[Array.IndexOf(args, "--outputs") + 1];
var row = SlurmScheduler.Find(outputs, sig) ?? throw new InvalidOperationException($"no Slurm job for {sig} in {outputs}");
var settings = row.Request.Argv.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
int steps = int.Parse(settings.GetValueOrDefault("work", "10"));
int exitCode = int.Parse(settings.GetValueOrDefault("exit", "0"));
string folder = row.Request.Folder;
Directory.CreateDirectory(folder);
string procId = Environment.GetEnvironmentVariable("SLURM_PROCID") ?? "0";
bool rank0 = procId == "0";
string checkpoint = Path.Combine(folder, "checkpoint.txt");
int from = rank0 && File.Exists(checkpoint) ? int.Parse(File.ReadAllText(checkpoint)) : 0;
string version = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "version.txt")).Trim();
string jobId = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") is { } a ? $"{a}_{Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")}"
    : Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "?";
AppendLocked(Path.Combine(folder, "runs.txt"),
    $"start {jobId} {Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT") ?? "0"} {procId} {version} {from}\n");
Console.WriteLine($"worker {sig}: steps {from}..{steps}");

using var requeue = SlurmRequeue.Install(folder);
for (int step = from; step < steps; step++)
{
    Thread.Sleep(100);
    if (rank0) AtomicFile.WriteAllText(checkpoint, (step + 1).ToString());
    if (requeue?.StopRequested == true)
    {
        var decision = requeue.Finish(Console.Out);
        return decision.Requeue ? 0 : 3;
    }
}
if (rank0) AtomicFile.WriteAllText(Path.Combine(folder, "history.json"), new JsonArray(new JsonObject { ["train"] = new JsonObject { ["steps"] = steps } }).ToJsonString());
return exitCode;

// The ranks of one XP start together and append to the same runs.txt. .NET's FileMode.Append seeks to the end
// instead of opening O_APPEND, so two ranks could both write at offset 0 and one line was lost (a flaky test);
// FileShare.None is an exclusive flock on Unix: the second rank retries until the first has written.
static void AppendLocked(string path, string text)
{
    for (int attempt = 0; ; attempt++)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
            return;
        }
        catch (IOException) when (attempt < 200) { Thread.Sleep(25); }
    }
}
