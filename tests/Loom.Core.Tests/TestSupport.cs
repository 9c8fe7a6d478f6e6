using System.Numerics;
using Loom.Config;

namespace Loom.Core.Tests;

/// <summary>Paths and fixtures shared by the tests.</summary>
public static class TestSupport
{
    public static string DataDir => Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>The repository root: the first folder above the test assembly holding Directory.Build.props.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) return dir.FullName;
            throw new InvalidOperationException("Directory.Build.props not found above " + AppContext.BaseDirectory);
        }
    }

    public static string RealConf => Path.Combine(RepoRoot, "conf");

    static readonly Lazy<ConfigNode> Fixtures = new(() => YamlLoader.LoadFile(Path.Combine(DataDir, "fixtures.yaml")));

    /// <summary>Writes the named fixture of data/fixtures.yaml into a fresh temp folder and returns it.</summary>
    public static string WriteFixture(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "loom-core-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (path, content) in Fixtures.Value.Get<ConfigNode>(name))
        {
            string full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, (string)content!);
        }
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Equality that also checks types: 1 (int) is not 1.0 (float), -0.0 is not 0.0, NaN equals NaN.</summary>
    public static bool StrictEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y) || double.IsNaN(x) && double.IsNaN(y),
        (long x, long y) => x == y,
        (BigInteger x, BigInteger y) => x == y,
        (bool x, bool y) => x == y,
        (string x, string y) => x == y,
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => StrictEquals(p.First, p.Second)),
        (ConfigNode x, ConfigNode y) => x.Count == y.Count && x.Keys.SequenceEqual(y.Keys) && x.All(kv => StrictEquals(kv.Value, y[kv.Key])),
        _ => false,
    };
}
