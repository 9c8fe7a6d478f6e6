using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Loom.Config;
using Loom.Experiments;

namespace Loom.Core.Tests;

/// <summary>Dora's vectors from DESIGN.md and the ones vectors/generate.py made with the real Python.</summary>
public class VectorTests
{
    [Theory]
    [InlineData("97d170e1")]
    public void EmptyDelta(string sig) => Assert.Equal(sig, Signature.Compute([]));

    [Fact]
    public void DesignVectors()
    {
        var node = new ConfigNode { ["a"] = 21L, ["b"] = 4L, ["c"] = 13L };
        Assert.Equal("c42e18a1", Signature.Compute([("model", "cnn"), ("optim.lr", 0.01)]));
        Assert.Equal("a3d34b82", Signature.Compute([("optim", "adam"), ("optim.lr", 0.001)]));
        Assert.Equal("62b3ad80", Signature.Compute([("lr", 1e-05)]));
        Assert.Equal("eb64b30c", Signature.Compute([("epochs", 5L)]));
        Assert.Equal("0a867ee8", Signature.Compute([("epochs", 5.0)]));
        Assert.Equal("ea20fa49", Signature.Compute([("flag", true)]));
        Assert.Equal("b2640240", Signature.Compute([("x", null)]));
        Assert.Equal("42da9525", Signature.Compute([("complex.a", new List<object?> { 1L, 2L, 3L })]));
        Assert.Equal("2b920eb4", Signature.Compute([("complex.b", node)]));
        Assert.Equal("7ea8642c", Signature.Compute([("name", "café")]));
        // sorted(delta): the order given does not matter.
        Assert.Equal("c42e18a1", Signature.Compute([("optim.lr", 0.01), ("model", "cnn")]));
    }

    public static IEnumerable<object[]> SignatureVectors() =>
        File.ReadLines(Path.Combine(TestSupport.DataDir, "signature_vectors.jsonl")).Select(line => new object[] { line });

    [Theory]
    [MemberData(nameof(SignatureVectors))]
    public void PythonSignatureVector(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var delta = doc.RootElement.GetProperty("delta").EnumerateArray()
            .Select(pair => new DeltaItem(pair[0].GetString()!, Untag(pair[1]))).ToList();
        Assert.Equal(doc.RootElement.GetProperty("json").GetString(), Signature.Json(delta));
        Assert.Equal(doc.RootElement.GetProperty("sig").GetString(), Signature.Compute(delta));
    }

    [Fact]
    public void ThereAreAtLeastThirtyPythonVectors() =>
        Assert.True(File.ReadLines(Path.Combine(TestSupport.DataDir, "signature_vectors.jsonl")).Count() >= 30);

    /// <summary>Rebuilds the exact Python value from generate.py's tagged form.</summary>
    static object? Untag(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Array => e.EnumerateArray().Select(Untag).ToList(),
        JsonValueKind.Object when e.TryGetProperty("i", out var i) => Int(i.GetString()!),
        JsonValueKind.Object when e.TryGetProperty("f", out var f) => Float(f.GetString()!),
        JsonValueKind.Object when e.TryGetProperty("d", out var d) => Dict(d),
        _ => throw new InvalidDataException(e.ToString()),
    };

    static object Int(string s)
    {
        var big = BigInteger.Parse(s, CultureInfo.InvariantCulture);
        return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
    }

    static double Float(string s) => s switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" => double.NaN,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    static ConfigNode Dict(JsonElement pairs)
    {
        var node = new ConfigNode();
        foreach (var pair in pairs.EnumerateArray()) node[pair[0].GetString()!] = Untag(pair[1]);
        return node;
    }

    [Fact]
    public void FloatReprMatchesPythonOnThousandsOfValues()
    {
        var failures = new List<string>();
        int count = 0;
        foreach (var line in File.ReadLines(Path.Combine(TestSupport.DataDir, "float_repr_vectors.txt")))
        {
            var parts = line.Split(' ');
            double d = BitConverter.Int64BitsToDouble(unchecked((long)ulong.Parse(parts[0], NumberStyles.HexNumber)));
            string actual = PyFloat.Repr(d);
            if (actual != parts[1]) failures.Add($"{parts[0]}: {actual} != {parts[1]}");
            count++;
        }
        Assert.True(count > 1000);
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1e16, "1e+16")]
    [InlineData(5.0, "5.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e-07, "1.5e-07")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void FloatRepr(double value, string expected) => Assert.Equal(expected, PyFloat.Repr(value));

    [Fact]
    public void PyJsonWritesPythonsFormat()
    {
        var value = new List<object?>
        {
            double.PositiveInfinity, double.NaN, "é😀\n\u007f\"\\", new BigInteger(ulong.MaxValue) * 10, true, null,
            new ConfigNode { ["b"] = 1L, ["a"] = new List<object?>() },
        };
        Assert.Equal("[Infinity, NaN, \"\\u00e9\\ud83d\\ude00\\n\\u007f\\\"\\\\\", 184467440737095516150, true, null, {\"b\": 1, \"a\": []}]",
            PyJson.Dumps(value));
    }

    public static IEnumerable<object[]> ExportVectors() =>
        File.ReadLines(Path.Combine(TestSupport.DataDir, "export_vectors.jsonl")).Select(line => new object[] { line });

    [Theory]
    [MemberData(nameof(ExportVectors))]
    public void ImportReadsPythonsExportStrings(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var argvs = doc.RootElement.GetProperty("argvs").EnumerateArray()
            .Select(a => a.EnumerateArray().Select(s => s.GetString()!).ToList()).ToList();
        var imported = XpShare.Import(doc.RootElement.GetProperty("export").GetString()!);
        Assert.Equal(argvs.Count, imported.Count);
        for (int i = 0; i < argvs.Count; i++) Assert.Equal(argvs[i], imported[i]);
        // Our own export round-trips (zlib bytes may differ from Python's on long inputs: zlib-ng).
        Assert.Equal(argvs, XpShare.Import(XpShare.Export(argvs)).Select(a => a.ToList()).ToList());
    }

    [Fact]
    public void ExportMatchesDorasVector()
    {
        Assert.Equal("eJyLjlbS1U2yNVGKjQUAESEC4g==", XpShare.Export([["--b=4"]]));
        Assert.Equal(["--b=4"], XpShare.Import("  eJyLjlbS1U2y\nNVGKjQUAESEC4g==\n")[0]);
    }

    [Fact]
    public void ExportWrapsAtSeventyColumns()
    {
        var argvs = Enumerable.Range(0, 40).Select(i => (IReadOnlyList<string>)[$"seed={i * 7919}", $"+tag=t{i}"]).ToList();
        var lines = XpShare.Export(argvs).Split('\n');
        Assert.True(lines.Length > 1);
        Assert.All(lines[..^1], l => Assert.Equal(70, l.Length));
        Assert.Equal(argvs.Count, XpShare.Import(string.Join("\n", lines)).Count);
    }

    [Theory]
    [InlineData("not base64 !!")]
    [InlineData("aGVsbG8=")]
    [InlineData("eJyLjlbS1U2yNVGKjQUAESEC5g==")] // Adler-32 checksum broken
    [InlineData("eJzLSM3JyQcABiwCFQ==")] // zlib("hello"): not JSON
    [InlineData("eJyLNtRRMIoFAATuAWg=")] // zlib("[1, 2]"): not a list of lists of strings
    public void ImportRejectsGarbageWithOneLine(string text)
    {
        var e = Assert.Throws<ConfigException>(() => XpShare.Import(text));
        Assert.StartsWith("import:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
