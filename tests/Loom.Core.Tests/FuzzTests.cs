using System.Diagnostics;
using CsCheck;
using Loom.Config;

namespace Loom.Core.Tests;

/// <summary>
/// Property-based fuzzing (CsCheck) of the configuration grammar: random and mutated override strings and YAML
/// documents go through the override parser, the composer (on a small conf folder) and the binder. Property:
/// each input either succeeds or fails with a user-input error whose message is one non-empty line — never
/// another exception, never a hang. Mutations start from the valid inputs of the corpora (data/*.yaml), so that
/// most inputs get deep into the grammar instead of failing on their first character.
/// </summary>
public class FuzzTests
{
    public const int OverrideInputs = 20_000;
    public const int YamlInputs = 5_000;
    static readonly TimeSpan PerInput = TimeSpan.FromSeconds(2);
    static readonly TimeSpan PerBatch = TimeSpan.FromSeconds(50);

    public enum Kind { Cnn, Mlp }
    public sealed record FuzzModel(string Name, int Channels = 0, double Dropout = 0, int Hidden = 0, Kind Kind = Kind.Cnn);
    public sealed record FuzzOptim(string Name, double Lr, double Momentum = 0, double[]? Betas = null, double Eps = 0);
    public sealed record FuzzData(string Root, long? Limit);
    public sealed record FuzzRoot(long Seed, int Epochs, string Name, double LrCopy, bool Restart, FuzzData Data,
        List<string> Tags, FuzzModel Model, FuzzOptim Optim, Dictionary<string, object?>? Loom = null);

    // Characters that mean something to the override grammar, YAML or interpolation, plus a few odd ones.
    const string Significant = "=+~.,:[]{}()'\"\\$ \t\n#&*!|>%@-_/0123456789eEaxTNn\u00e9\u0000\u2028";

    static readonly Lazy<List<string>> OverrideCorpus = new(LoadOverrideCorpus);
    static readonly Lazy<List<string>> YamlCorpus = new(LoadYamlCorpus);

    [Fact]
    public void MutatedAndRandomOverridesFailOnlyWithOneLineUserErrors()
    {
        string conf = TestSupport.WriteFixture("basic");
        var gen = Gen.Frequency((4, Mutated(OverrideCorpus.Value)), (1, Gen.String[Gen.Char[Significant], 0, 30]),
            (1, Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(Gen.String[Gen.Char[Significant], 0, 12], (a, b) => a + "=" + b)));
        int ran = RunBatch(gen, OverrideInputs, text =>
        {
            Property(() => Override.Parse(text));
            Property(() => ConfigComposer.Compose(conf, [text]).Config.Bind<FuzzRoot>());
        });
        Assert.Equal(OverrideInputs, ran);
    }

    [Fact]
    public void MutatedYamlDocumentsFailOnlyWithOneLineUserErrors()
    {
        string conf = TestSupport.WriteFixture("basic");
        string primary = Path.Combine(conf, ConfigComposer.PrimaryFile);
        var gen = Mutated(YamlCorpus.Value);
        int ran = RunBatch(gen, YamlInputs, text =>
        {
            Property(() => YamlLoader.Load(text, "fuzz.yaml").Bind<FuzzRoot>());
            File.WriteAllText(primary, text);
            Property(() => ConfigComposer.Compose(conf, ["seed=1"]).Config.Bind<FuzzRoot>());
        });
        Assert.Equal(YamlInputs, ran);
    }

    /// <summary>Runs <paramref name="check"/> on <paramref name="count"/> inputs on one thread, off the test's, so that a hang fails the test.</summary>
    static int RunBatch(Gen<string> gen, int count, Action<string> check)
    {
        int ran = 0;
        string? slow = null;
        var batch = Task.Run(() => gen.Sample(text =>
        {
            var watch = Stopwatch.StartNew();
            check(text);
            if (watch.Elapsed > PerInput) slow ??= text;
            Interlocked.Increment(ref ran);
        }, iter: count, threads: 1));
        Assert.True(batch.Wait(PerBatch), $"the batch did not finish in {PerBatch.TotalSeconds} s after {ran} inputs (a hang?)");
        Assert.True(slow is null, $"an input took more than {PerInput.TotalSeconds} s: {slow}");
        return ran;
    }

    /// <summary>The property: success, or a user-input error with a one-line, non-empty message.</summary>
    static void Property(Action action)
    {
        try { action(); }
        catch (Exception e) when (e is ConfigException or IUserInputError)
        {
            if (e.Message.Length == 0 || e.Message.Contains('\n') || e.Message.Contains('\r'))
                throw new InvalidOperationException($"a user error's message is not one non-empty line: [{e.Message}]");
        }
    }

    /// <summary>A corpus entry with 1–4 edits: insert a significant character, delete a span, duplicate a span, or swap two characters.</summary>
    static Gen<string> Mutated(List<string> corpus) =>
        Gen.Select(Gen.Int[0, corpus.Count - 1], Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1 << 16], Gen.Int[1, 8], Gen.Char[Significant]).Array[1, 4],
            (index, edits) => edits.Aggregate(corpus[index], (s, edit) => Edit(s, edit.Item1, edit.Item2, edit.Item3, edit.Item4)));

    static string Edit(string s, int op, int position, int length, char c)
    {
        int at = s.Length == 0 ? 0 : position % (s.Length + 1);
        int span = Math.Min(length, s.Length - at);
        return op switch
        {
            0 => s.Insert(at, c.ToString()),
            1 => s.Remove(at, span),
            2 => s.Insert(at, s.Substring(at, span)),
            _ when at + 1 < s.Length => string.Concat(s.AsSpan(0, at), s[at + 1].ToString(), s[at].ToString(), s.AsSpan(at + 2)),
            _ => s + c,
        };
    }

    static List<string> LoadOverrideCorpus()
    {
        var corpus = new List<string>();
        var cases = (List<object?>)YamlLoader.LoadFile(Path.Combine(TestSupport.DataDir, "override_corpus.yaml"))["cases"]!;
        foreach (ConfigNode c in cases.Cast<ConfigNode>()) corpus.AddRange(c.Get<List<string>>("args"));
        var hydra = YamlLoader.LoadFile(Path.Combine(TestSupport.DataDir, "hydra_conformance.yaml"));
        foreach (ConfigNode c in ((List<object?>)hydra["parser"]!).Cast<ConfigNode>())
            if (c.TryGet<string>("value", out var value)) corpus.Add("key=" + value);
        foreach (ConfigNode c in ((List<object?>)hydra["compose"]!).Cast<ConfigNode>()) corpus.AddRange(c.Get<List<string>>("args"));
        Assert.True(corpus.Count > 100, $"{corpus.Count} overrides in the corpus");
        return corpus;
    }

    static List<string> LoadYamlCorpus()
    {
        var corpus = new List<string>();
        foreach (var (_, files) in YamlLoader.LoadFile(Path.Combine(TestSupport.DataDir, "fixtures.yaml")))
            foreach (var (_, content) in (ConfigNode)files!) corpus.Add((string)content!);
        var hydra = YamlLoader.LoadFile(Path.Combine(TestSupport.DataDir, "hydra_conformance.yaml"));
        foreach (ConfigNode c in ((List<object?>)hydra["compose"]!).Cast<ConfigNode>()) corpus.Add(c.Get<string>("config"));
        Assert.True(corpus.Count > 20, $"{corpus.Count} YAML documents in the corpus");
        return corpus;
    }
}
