namespace Loom.Distributed.Tests;

/// <summary>The mpirun command line, the launcher variables and mpirun's failure reports.</summary>
public sealed class LaunchTests
{
    [Fact]
    public void The_command_line_has_the_flags_each_case_needs()
    {
        var asRoot = MpiLauncher.Arguments(2, "dotnet", ["app.dll", "train"], cores: 2, root: true);
        Assert.Equal(["-np", "2", "--allow-run-as-root", "--mca", "plm", "isolated", "--bind-to", "none", .. MpiLauncher.RingAllReduceFlags,
            "-x", "TERM=dumb", "dotnet", "app.dll", "train"], asRoot);
        var user = MpiLauncher.Arguments(3, "prog", [], new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" }, cores: 2, root: false);
        Assert.DoesNotContain("--allow-run-as-root", user);
        Assert.Contains("--oversubscribe", user);
        Assert.Equal(["-x", "OMP_NUM_THREADS=1", "prog"], user.TakeLast(3));
        Assert.DoesNotContain("--oversubscribe", MpiLauncher.Arguments(2, "prog", [], cores: 2, root: false));
    }

    [Fact]
    public void Bad_launch_arguments_name_the_culprit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MpiLauncher.Arguments(0, "prog", []));
        var e = Assert.Throws<ArgumentException>(() => MpiLauncher.Arguments(2, "prog", [], new Dictionary<string, string> { ["A=B"] = "1" }));
        Assert.Contains("'A=B'", e.Message);
    }

    [Fact]
    public void The_environment_tells_the_rank_and_the_launcher()
    {
        static LaunchInfo Read(params (string, string)[] vars) =>
            DistributedEnvironment.Read(name => vars.FirstOrDefault(v => v.Item1 == name).Item2);
        Assert.Equal(new LaunchInfo(0, 1, "none"), Read());
        Assert.Equal(new LaunchInfo(1, 3, "mpirun"), Read(("OMPI_COMM_WORLD_RANK", "1"), ("OMPI_COMM_WORLD_SIZE", "3")));
        Assert.Equal(new LaunchInfo(2, 4, "srun"), Read(("PMIX_RANK", "2"), ("SLURM_PROCID", "2"), ("SLURM_STEP_NUM_TASKS", "4"), ("SLURM_NTASKS", "4")));
        // One srun task, or an sbatch shell: not a rank.
        Assert.Equal(new LaunchInfo(0, 1, "none"), Read(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2")));
        var e = Assert.Throws<MpiUnavailableException>(() => Read(("SLURM_PROCID", "1"), ("SLURM_STEP_NUM_TASKS", "2")));
        Assert.Contains("srun --mpi=pmix", e.Message);
        Assert.Throws<MpiUnavailableException>(() => Read(("OMPI_COMM_WORLD_SIZE", "two"), ("OMPI_COMM_WORLD_RANK", "0")));
    }

    [Theory]
    [InlineData("MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD\nwith errorcode 1.", 1, "aborted with error code 1")]
    [InlineData("mpirun noticed that process rank 1 with PID 0 on node vm exited on signal 9 (Killed).", 1, "exited on signal 9 (Killed)")]
    [InlineData("mpirun detected that one or more processes exited with non-zero status, thus causing\nthe job to be terminated. The first process to do so was:\n\n  Process name: [[5597,1],2]\n  Exit code:    3\n", 2, "exited with status 3")]
    [InlineData("mpirun has exited due to process rank 1 with PID 0 on\nnode vm exiting improperly. There are three reasons", 1, "exited without MPI_Finalize")]
    public void Mpiruns_report_names_the_rank(string report, int rank, string reason)
    {
        Assert.Equal(new MpiFailure(rank, reason), MpiFailure.Find(report));
    }

    [Fact]
    public void A_report_without_a_rank_is_no_failure()
    {
        Assert.Null(MpiFailure.Find("rank 0 pid 12 ready"));
    }
}
