using System.Net;
using System.Net.Sockets;

namespace Loom.Slurm.Tests;

/// <summary>
/// A real Slurm of two hosts on this machine, started by the test that uses it (scripts/slurm-cluster.sh
/// `--nodes 2`): each slurmd in a network and UTS namespace of its own (node1 at 10.B.0.2, node2 at 10.B.0.3),
/// on free ports and a free subnet. Disposing stops every daemon and removes every namespace and link the
/// script made, also when the test failed. Needs root, as the single-node cluster does.
/// </summary>
public sealed class TwoHostCluster : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("loom-slurm-2hosts-").FullName;
    public string Conf => Path.Combine(Dir, "etc", "slurm.conf");
    /// <summary>The second byte of the subnet 10.B.0.0/24; names are loomB-br, loomB-n1, loomB-n2.</summary>
    public int Net { get; }
    public TimeSpan StartTime { get; }

    public TwoHostCluster()
    {
        Net = FreeNet();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var start = SlurmCluster.Script("start", Dir, "--nodes", "2", "--net", Net.ToString(),
            "--ctld-port", FreePort().ToString(), "--slurmd-port", FreePort().ToString());
        StartTime = clock.Elapsed;
        if (start.Code != 0)
        {
            Dispose();
            throw new InvalidOperationException($"slurm-cluster.sh start --nodes 2 failed: {start.Err}");
        }
    }

    /// <summary>The environment a `loom` or Slurm client process needs to talk to this cluster.</summary>
    public Dictionary<string, string> Environment => new() { ["SLURM_CONF"] = Conf };

    public string Namespace(int node) => $"loom{Net}-n{node}";

    // A subnet no interface here uses yet (another test's cluster, or a leftover, keeps its own).
    static int FreeNet()
    {
        for (int b = 77; b < 250; b++)
            if (!Directory.Exists($"/sys/class/net/loom{b}-br") && SlurmCluster.Run("ip", "-4", "route", "show", $"10.{b}.0.0/24").Out.Trim().Length == 0)
                return b;
        throw new InvalidOperationException("no free subnet 10.B.0.0/24 for B in 77..249");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        SlurmCluster.Script("stop", Dir);
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
