using Loom.Config;
using Loom.Scheduling.Slurm;

namespace Loom.Slurm.Tests;

/// <summary>The `slurm:` section of a config gives the default resources, with Dora's key names.</summary>
public sealed class SlurmConfigTests
{
    [Fact]
    public void TheSlurmSectionGivesDefaultResources()
    {
        string dir = Directory.CreateTempSubdirectory("loom-slurm-conf-").FullName;
        File.WriteAllText(Path.Combine(dir, "config.yaml"), """
            epochs: 1
            slurm:
              partition: learnlab
              time: 600
              cpus_per_task: 10
              mem: 40
              gpus: 1
              setup: ["--requeue"]
              array_parallelism: 64
            loom:
              exclude: ["slurm.*"]
            """);
        var config = ConfigComposer.Compose(dir, ["slurm.time=60"]).Config;
        var r = SlurmConfig.From(config).ToResources();
        Assert.Equal(("learnlab", 60, 10, 40, 1, 64), (r.Partition, r.TimeMinutes, r.Cpus, r.MemoryGb, r.Gpus, r.ArrayParallelism));
        Assert.Equal(["--requeue"], r.Sbatch);
        Assert.Equal(Loom.Experiments.Xp.Create(dir, []).Sig, Loom.Experiments.Xp.Create(dir, ["slurm.time=60"]).Sig); // excluded from the signature
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void AMistypedSlurmValueNamesItsKey()
    {
        var config = new ConfigNode { ["slurm"] = new ConfigNode { ["time"] = "soon" } };
        var e = Assert.Throws<ConfigException>(() => SlurmConfig.From(config));
        Assert.Contains("slurm.time", e.Message);
    }
}
