using Loom.Config;

namespace Loom.Core.Tests;

/// <summary>The table-driven corpus of data/override_corpus.yaml, one theory row per case.</summary>
public class OverrideCorpusTests
{
    static readonly Lazy<List<ConfigNode>> Cases = new(() =>
        ((List<object?>)YamlLoader.LoadFile(Path.Combine(TestSupport.DataDir, "override_corpus.yaml"))["cases"]!).Cast<ConfigNode>().ToList());

    public static IEnumerable<object[]> CaseIds() =>
        Cases.Value.Select((c, i) => new object[] { i, $"{c.Get<string>("fixture")}: {string.Join(" ", c.Get<List<string>>("args"))}" });

    static OverrideCorpusTests()
    {
        Environment.SetEnvironmentVariable("LOOM_TEST_SET_VAR", "from-env");
        Environment.SetEnvironmentVariable("LOOM_TEST_UNSET_VAR", null);
    }

    [Fact]
    public void CorpusHasAtLeastSixtyCases() => Assert.True(Cases.Value.Count >= 60, $"{Cases.Value.Count} cases");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case(int index, string description)
    {
        var c = Cases.Value[index];
        string conf = TestSupport.WriteFixture(c.Get<string>("fixture"));
        var args = c.Get<List<string>>("args");

        if (c.TryGet<string>("error", out var error))
        {
            var e = Assert.Throws<ConfigException>(() => ConfigComposer.Compose(conf, args));
            Assert.Contains(error, e.Message);
            Assert.DoesNotContain('\n', e.Message);
            return;
        }
        var config = ConfigComposer.Compose(conf, args).Config;
        int checks = 0;
        if (c.TryGet<ConfigNode>("expect", out var expect))
            foreach (var (key, expected) in expect)
            {
                Assert.True(ConfigPath.TryFind(config, key, out var actual), $"{description}: missing key {key}");
                Assert.True(TestSupport.StrictEquals(expected, actual),
                    $"{description}: {key} is {ScalarText.Repr(actual)} ({actual?.GetType().Name}), expected {ScalarText.Repr(expected)} ({expected?.GetType().Name})");
                checks++;
            }
        if (c.TryGet<List<string>>("absent", out var absent))
            foreach (var key in absent) { Assert.False(config.Has(key), $"{description}: {key} should be absent"); checks++; }
        Assert.True(checks > 0, "a case must check something");
    }
}
