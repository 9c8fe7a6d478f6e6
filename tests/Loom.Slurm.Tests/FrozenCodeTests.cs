using Loom.Scheduling;

namespace Loom.Slurm.Tests;

/// <summary>Jobs run a frozen copy of the app: rebuilding the app between submission and start changes nothing.</summary>
[Collection("slurm")]
public sealed class FrozenCodeTests
{
    [Fact]
    public void ARebuildBetweenSubmissionAndStartDoesNotChangeTheCodeAJobRuns()
    {
        string app = CopyWorker();
        using var f = new SlurmFixture(o => o with { AppCommand = [Path.Combine(app, "SlurmTestWorker")], AppDirectory = app });
        var held = new Resources(Cpus: 1) { Sbatch = ["--hold"] };
        var first = f.Scheduler.Submit([f.Request("old", held, "work=1")]).Single();

        File.WriteAllText(Path.Combine(app, "version.txt"), "v2\n"); // "rebuild" while the job waits
        var second = f.Scheduler.Submit([f.Request("new", held, "work=1")]).Single();
        SlurmFixture.Scontrol("release", first.JobId);
        SlurmFixture.Scontrol("release", second.JobId);
        f.WaitState("old", JobState.Completed);
        f.WaitState("new", JobState.Completed);
        Assert.Equal("v1", f.Runs("old").Single().Split(' ')[4]);
        Assert.Equal("v2", f.Runs("new").Single().Split(' ')[4]);

        // A job record without a code (null) becomes "" and fails the pattern below.
        var codes = f.Scheduler.Store.All().Select(r => r.Code ?? "").ToList();
        Assert.All(codes, c => Assert.Matches("^[0-9a-f]{16}$", c));
        Assert.NotEqual(codes[0], codes[1]); // the record of which code each job ran
        Assert.Equal(codes.Order(), Directory.GetDirectories(CodeSnapshot.Root(f.Outputs)).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order());

        // Housekeeping: a copy an active job refers to stays; the others go.
        var third = f.Scheduler.Submit([f.Request("held", held, "work=1")]).Single();
        Assert.Equal(codes[1], f.Scheduler.Store.All()[^1].Code); // same content, same copy
        var removed = f.Scheduler.CollectCode(TimeSpan.Zero);
        Assert.Equal([codes[0]], removed);
        Assert.True(Directory.Exists(CodeSnapshot.PathOf(f.Outputs, codes[1])));
        Directory.Delete(app, recursive: true);
    }

    [Fact]
    public void FreezingTheSameBuildTwiceMakesOneCopyAndRebasesOnlyPathsInsideIt()
    {
        string app = CopyWorker();
        string outputs = Directory.CreateTempSubdirectory("loom-code-").FullName;
        var a = CodeSnapshot.Freeze(app, outputs);
        var b = CodeSnapshot.Freeze(app, outputs);
        Assert.Equal(a.Hash, b.Hash);
        Assert.Single(Directory.GetDirectories(CodeSnapshot.Root(outputs)), d => !Path.GetFileName(d).StartsWith('.'));
        Assert.Equal(["/usr/bin/dotnet", Path.Combine(a.Directory, "SlurmTestWorker.dll"), "run"],
            a.Rebase(["/usr/bin/dotnet", Path.Combine(app, "SlurmTestWorker.dll"), "run"]));
        Assert.True(File.GetUnixFileMode(Path.Combine(a.Directory, "SlurmTestWorker")).HasFlag(UnixFileMode.UserExecute));
        Assert.Empty(CodeSnapshot.Collect(outputs, [], TimeSpan.FromMinutes(10))); // just frozen: kept for a submitter about to use it

        // A rebuild that changes one file adds one stored object, not a copy of the whole build.
        string objects = Path.Combine(CodeSnapshot.Root(outputs), ".objects");
        int files = Directory.GetFiles(app, "*", SearchOption.AllDirectories).Length;
        Assert.Equal(files, Directory.GetFiles(objects).Length);
        File.WriteAllText(Path.Combine(app, "version.txt"), "v3\n");
        var c = CodeSnapshot.Freeze(app, outputs);
        Assert.NotEqual(a.Hash, c.Hash);
        Assert.Equal(files + 1, Directory.GetFiles(objects).Length);
        Assert.Equal("v1\n", File.ReadAllText(Path.Combine(a.Directory, "version.txt")));
        Assert.Equal("v3\n", File.ReadAllText(Path.Combine(c.Directory, "version.txt")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(app, "Loom.Core.dll")), File.ReadAllBytes(Path.Combine(c.Directory, "Loom.Core.dll")));

        // Housekeeping keeps the copy in use and the objects it needs, and drops the rest.
        Assert.Equal([a.Hash], CodeSnapshot.Collect(outputs, [c.Hash], TimeSpan.Zero));
        Assert.Equal(files, Directory.GetFiles(objects).Length);
        Assert.Equal("v3\n", File.ReadAllText(Path.Combine(c.Directory, "version.txt")));
        Directory.Delete(app, recursive: true);
        Directory.Delete(outputs, recursive: true);
    }

    /// <summary>A private copy of the worker's build output, standing for the app's build folder.</summary>
    static string CopyWorker()
    {
        string app = Directory.CreateTempSubdirectory("loom-app-").FullName;
        foreach (var file in Directory.EnumerateFiles(SlurmFixture.WorkerBuild, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(app, Path.GetRelativePath(SlurmFixture.WorkerBuild, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return app;
    }
}
