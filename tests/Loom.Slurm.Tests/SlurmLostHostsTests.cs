using Loom.Experiments;
using Loom.Scheduling.Slurm;

namespace Loom.Slurm.Tests;

/// <summary>The line that names a lost host, from sinfo's states (the real SIGTERM path runs in <see cref="TwoHostTests"/>).</summary>
public sealed class SlurmLostHostsTests
{
    static readonly RankPlace[] Places = [new(0, "node1", 101, 1), new(1, "node2", 202, 1), new(2, "node2", 203, 1)];

    [Theory]
    [InlineData("down*", true)]
    [InlineData("down", true)]
    [InlineData("idle*", true)]      // not responding
    [InlineData("allocated*", true)]
    [InlineData("fail", true)]
    [InlineData("allocated", false)]
    [InlineData("mixed", false)]
    [InlineData("idle", false)]
    [InlineData("draining", false)]  // still answering: its ranks are alive
    public void ADownOrSilentNodeIsLost(string state, bool lost) => Assert.Equal(lost, SlurmLostHosts.IsLost(state));

    [Fact]
    public void TheLineNamesEachLostHostWithItsRanksAndPids()
    {
        string? line = SlurmLostHosts.Describe(Places, "node1 allocated\nnode2 down*\n");
        Assert.Equal("Slurm is ending this step (SIGTERM): lost host node2 (Slurm: down*) with ranks 1 (pid 202), 2 (pid 203), " +
                     "of the 2 hosts in ranks.json; a requeued job resumes from the last checkpoint", line);
    }

    [Fact]
    public void NoLineWhenEveryHostAnswersOrSlurmDoesNotKnowIt()
    {
        Assert.Null(SlurmLostHosts.Describe(Places, "node1 allocated\nnode2 allocated\n")); // a scancel, a time limit
        Assert.Null(SlurmLostHosts.Describe(Places, "node7 down*\n"));                      // not one of the ranks' hosts
        Assert.Null(SlurmLostHosts.Describe(Places, ""));
    }

    [Fact]
    public void ASummaryOfPlacesGroupsRanksByHost() =>
        Assert.Equal("node1 (rank 0), node2 (ranks 1, 2)", RankPlaces.Summary(Places));
}
