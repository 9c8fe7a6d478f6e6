using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // one small cluster, 2 shared cores

namespace Loom.Slurm.Tests;

/// <summary>
/// A real single-node Slurm for the whole test run, started by scripts/slurm-cluster.sh in a temporary folder
/// on free ports, so that it never meets another cluster on this machine. SLURM_CONF is set for this process,
/// so every `sbatch`/`squeue` the scheduler runs talks to it; disposing stops the daemons it started.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    public static readonly string RepoRoot = FindRoot();
    public string Dir { get; } = Directory.CreateTempSubdirectory("loom-slurm-").FullName;
    public string Conf => Path.Combine(Dir, "etc", "slurm.conf");

    public SlurmCluster()
    {
        int ctld = FreePort(), slurmd = FreePort();
        var start = Script("start", Dir, "--ctld-port", ctld.ToString(), "--slurmd-port", slurmd.ToString());
        if (start.Code != 0) throw new InvalidOperationException($"slurm-cluster.sh start failed: {start.Err}");
        Environment.SetEnvironmentVariable("SLURM_CONF", Conf);
    }

    public static (int Code, string Out, string Err) Script(params string[] args) =>
        Run(Path.Combine(RepoRoot, "scripts", "slurm-cluster.sh"), args);

    public static (int Code, string Out, string Err) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Loom.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root (Loom.slnx) not found");
    }

    public void Dispose()
    {
        Script("stop", Dir);
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("slurm")]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>;
