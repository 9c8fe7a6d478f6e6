using System.Diagnostics;
using Loom.Scheduling;
using Xunit.Abstractions;

namespace Loom.Slurm.Tests;

/// <summary>
/// The issue's benchmark as a test: a 100-XP grid submitted with arrays on and off, then its table refreshed.
/// Held jobs (`--hold`), so that nothing runs; the numbers go to the test output (docs/slurm.md quotes them).
/// </summary>
[Collection("slurm")]
public sealed class SlurmGridScaleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AHundredXpGridIsSubmittedAndRefreshedWithOneSqueue(bool arrays)
    {
        using var f = new SlurmFixture(o => o with { UseArrays = arrays });
        var held = new Resources(Cpus: 1) { Sbatch = ["--hold"] };
        var requests = Enumerable.Range(0, 100).Select(i => f.Request($"xp{i:000}", held)).ToList();

        var clock = Stopwatch.StartNew();
        int calls = f.Commands.Calls;
        var jobs = f.Scheduler.Submit(requests);
        double submit = clock.Elapsed.TotalSeconds;
        int submitCalls = f.Commands.Calls - calls;
        Assert.Equal(100, jobs.Select(j => j.JobId).Distinct().Count());
        Assert.Equal(arrays ? 1 : 100, jobs.Select(j => j.JobId.Split('_')[0]).Distinct().Count());

        var refreshes = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            clock.Restart();
            calls = f.Commands.Calls;
            var states = f.Scheduler.Latest(requests.Select(r => r.Sig));
            refreshes.Add(clock.Elapsed.TotalSeconds);
            Assert.Equal(1, f.Commands.Calls - calls); // one squeue per refresh, not one per XP
            Assert.All(states.Values, j => Assert.Equal(JobState.Pending, j.State));
        }
        output.WriteLine($"arrays {(arrays ? "on" : "off")}: submit 100 XPs {submit:0.00} s ({submitCalls} Slurm commands); " +
            $"refresh {string.Join(", ", refreshes.Select(r => $"{r:0.000}"))} s (1 squeue each)");
        Assert.True(refreshes.Min() <= 2, $"refresh took {refreshes.Min():0.00} s");
    }
}
