using Loom.Config;
using Loom.Experiments;

namespace Loom.Core.Tests;

/// <summary>
/// The cases of data/hydra_conformance.yaml, ported from Hydra's and Dora's own tests and code: the override
/// grammar, keys, how overrides apply to a config, and Dora's delta and names. One theory row per case.
/// </summary>
public class HydraConformanceTests
{
    static readonly Lazy<ConfigNode> Data = new(() => YamlLoader.LoadFile(Path.Combine(TestSupport.DataDir, "hydra_conformance.yaml")));

    static List<ConfigNode> Section(string name) => ((List<object?>)Data.Value[name]!).Cast<ConfigNode>().ToList();

    static IEnumerable<object[]> Rows(string section, string label) =>
        Section(section).Select((c, i) => new object[] { i, ScalarText.Format(c.TryGetChild(label, out var v) ? v : null) });

    public static IEnumerable<object[]> ParserCases() => Rows("parser", "value");
    public static IEnumerable<object[]> KeyCases() => Rows("keys", "key");
    public static IEnumerable<object[]> ComposeCases() => Section("compose").Select((c, i) => new object[] { i, string.Join(" ", c.Get<List<string>>("args")) });
    public static IEnumerable<object[]> GroupCases() => Section("groups").Select((c, i) => new object[] { i, string.Join(" ", c.Get<List<string>>("args")) });
    public static IEnumerable<object[]> DoraCases() => Section("dora").Select((c, i) => new object[] { i, string.Join(" ", c.Get<List<string>>("args")) });

    [Fact]
    public void TheCorpusCoversEachSource()
    {
        Assert.True(Section("parser").Count >= 150, $"{Section("parser").Count} parser cases");
        Assert.True(Section("compose").Count >= 40);
        Assert.True(Section("dora").Count >= 15);
    }

    [Theory]
    [MemberData(nameof(ParserCases))]
    public void Parser(int index, string value)
    {
        var c = Section("parser")[index];
        string text = "key=" + value;
        if (c.TryGet<string>("error", out var error))
        {
            var e = Assert.Throws<ConfigException>(() => Override.Parse(text));
            Assert.Contains(error, e.Message);
            Assert.StartsWith($"override '{text}': ", e.Message);
            return;
        }
        var parsed = Override.Parse(text);
        if (c.TryGetChild("sweep", out var sweep))
        {
            var expected = (List<object?>)sweep!;
            Assert.True(parsed.IsSweep, $"{value}: expected a sweep");
            Assert.Equal(expected.Count, parsed.Choices.Count);
            for (int i = 0; i < expected.Count; i++)
                Assert.True(TestSupport.StrictEquals(expected[i], parsed.Choices[i].Value), $"{value}: choice {i} is {ScalarText.Repr(parsed.Choices[i].Value)}");
            return;
        }
        Assert.False(parsed.IsSweep, $"{value}: not a sweep");
        var expect = c["expect"];
        Assert.True(TestSupport.StrictEquals(expect, parsed.Value),
            $"{value}: got {ScalarText.Repr(parsed.Value)} ({parsed.Value?.GetType().Name}), expected {ScalarText.Repr(expect)} ({expect?.GetType().Name})");
    }

    [Theory]
    [MemberData(nameof(KeyCases))]
    public void Keys(int index, string key)
    {
        var c = Section("keys")[index];
        if (c.TryGet<string>("error", out var error))
            Assert.Contains(error, Assert.Throws<ConfigException>(() => Override.Parse(key + "=1")).Message);
        else
            Assert.Equal(key, Override.Parse(key + "=1").Key);
    }

    [Theory]
    [MemberData(nameof(ComposeCases))]
    public void Compose(int index, string args)
    {
        var c = Section("compose")[index];
        string conf = Directory.CreateTempSubdirectory("loom-conformance-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(conf, "config.yaml"), c.Get<string>("config"));
            var overrides = c.Get<List<string>>("args");
            if (c.TryGet<string>("error", out var error))
            {
                var e = Assert.Throws<ConfigException>(() => ConfigComposer.Compose(conf, overrides));
                Assert.Contains(error, e.Message);
                Assert.DoesNotContain('\n', e.Message);
                return;
            }
            var config = ConfigComposer.Compose(conf, overrides).Config;
            var expect = c.Get<ConfigNode>("expect");
            Assert.True(TestSupport.StrictEquals(expect, config), $"{args}: got {ScalarText.Repr(config)}, expected {ScalarText.Repr(expect)}");
        }
        finally { Directory.Delete(conf, recursive: true); }
    }

    [Theory]
    [MemberData(nameof(GroupCases))]
    public void Groups(int index, string args)
    {
        var c = Section("groups")[index];
        string conf = TestSupport.WriteFixture(c.Get<string>("fixture"));
        var overrides = c.Get<List<string>>("args");
        if (c.TryGet<string>("error", out var error))
        {
            Assert.Contains(error, Assert.Throws<ConfigException>(() => ConfigComposer.Compose(conf, overrides)).Message);
            return;
        }
        var config = ConfigComposer.Compose(conf, overrides).Config;
        int checks = 0;
        if (c.TryGet<ConfigNode>("expect", out var expect))
            foreach (var (key, expected) in expect)
            {
                Assert.True(ConfigPath.TryFind(config, key, out var actual), $"{args}: missing key {key}");
                Assert.True(TestSupport.StrictEquals(expected, actual), $"{args}: {key} is {ScalarText.Repr(actual)}");
                checks++;
            }
        if (c.TryGet<List<string>>("absent", out var absent))
            foreach (var key in absent) { Assert.False(config.Has(key), $"{args}: {key} should be absent"); checks++; }
        Assert.True(checks > 0, "a case must check something");
    }

    [Theory]
    [MemberData(nameof(DoraCases))]
    public void Dora(int index, string args)
    {
        var c = Section("dora")[index];
        var xp = Xp.Create(TestSupport.WriteFixture(c.Get<string>("fixture")), c.Get<List<string>>("args"));
        var expected = ((List<object?>)c["delta"]!).Cast<List<object?>>().Select(p => new DeltaItem((string)p[0]!, p[1])).ToList();
        Assert.Equal(expected.Select(d => d.Key), xp.Delta.Select(d => d.Key));
        for (int i = 0; i < expected.Count; i++)
            Assert.True(TestSupport.StrictEquals(expected[i].Value, xp.Delta[i].Value), $"{args}: {expected[i].Key} is {ScalarText.Repr(xp.Delta[i].Value)}");
        Assert.Equal(c.Get<string>("name"), xp.Name);
        Assert.Equal(Signature.Compute(expected), xp.Sig);
    }

    [Theory]
    // Signatures computed with CPython 3: hashlib.sha1(json.dumps(sorted(delta)).encode()).hexdigest()[:8]
    [InlineData("basic", "8a31fcd1", "+extra={a: 1, b: [2]}")]
    [InlineData("basic", "8c3f9613", "+more={a: 1, b: {c: 2}}", "~data.limit", "++tag=x")]
    [InlineData("basic", "3752f319", "model=cnn")]
    [InlineData("basic", "c2a91e9c", "model={channels: 8}")]
    public void SignaturesMatchPython(string fixture, string sig, params string[] args) =>
        Assert.Equal(sig, Xp.Create(TestSupport.WriteFixture(fixture), args).Sig);

    [Fact]
    public void AnAddedDictIsOneDeltaEntryWhoseSignatureKeepsInsertionOrder()
    {
        // Python: json.dumps(sorted([("extra", {"a": 1, "b": [2]})])) and the dict written b-first differ.
        var conf = TestSupport.WriteFixture("basic");
        var ab = Xp.Create(conf, ["+extra_cfg={a: 1, b: [2]}"]);
        var ba = Xp.Create(conf, ["+extra_cfg={b: [2], a: 1}"]);
        Assert.Equal("[[\"extra_cfg\", {\"a\": 1, \"b\": [2]}]]", Signature.Json(ab.Delta));
        Assert.Equal("[[\"extra_cfg\", {\"b\": [2], \"a\": 1}]]", Signature.Json(ba.Delta));
        Assert.Equal(Signature.Hash("[[\"extra_cfg\", {\"a\": 1, \"b\": [2]}]]"), ab.Sig);
        Assert.NotEqual(ab.Sig, ba.Sig);
    }
}
