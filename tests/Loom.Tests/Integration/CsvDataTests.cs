using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Loom.Tests.Integration;

/// <summary>
/// `data=csv` through the real CLI on tables the test writes: a 3-class table that one-hot categories and two numbers
/// separate linearly (learned well above the 33 % of chance, its classes named by `loom info -f`), a regression table
/// y = 2a − b + noise (test RMSE well below the target's spread), the MLP picked by data=csv itself, and every bad
/// input one line naming file, line, column or key, exit 2, no outputs folder.
/// </summary>
public sealed class CsvDataTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    static readonly string[] Colors = ["red", "green", "blue"];

    /// <summary>Rows whose class is the argmax of three linear scores of (a, b, the colour): separable by a linear model.</summary>
    string WriteClassification(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("id,a,b,color,kind\n");
        for (int i = 0; i < rows; i++)
        {
            double a = random.NextDouble() * 4 - 2, b = random.NextDouble() * 4 - 2;
            int color = random.Next(3);
            double[] scores = [2 * a + (color == 0 ? 1.5 : 0), 2 * b + (color == 1 ? 1.5 : 0), -a - b + (color == 2 ? 1.5 : 0)];
            string kind = new[] { "low", "mid", "high" }[Array.IndexOf(scores, scores.Max())];
            text.Append(CultureInfo.InvariantCulture, $"{i},{a:F4},{b:F4},{Colors[color]},{kind}\n");
        }
        return Write(name, text.ToString());
    }

    /// <summary>y = 2a − b + N(0, 0.1²): a linear target whose standard deviation is about √5 ≈ 2.2.</summary>
    string WriteRegression(string name, int rows, int seed, out double targetStd)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,y\n");
        var ys = new List<double>();
        for (int i = 0; i < rows; i++)
        {
            double a = Gaussian(random), b = Gaussian(random), y = 2 * a - b + 0.1 * Gaussian(random);
            ys.Add(y);
            text.Append(CultureInfo.InvariantCulture, $"{a:F4},{b:F4},{y:F4}\n");
        }
        double mean = ys.Average();
        targetStd = Math.Sqrt(ys.Sum(y => (y - mean) * (y - mean)) / ys.Count);
        return Write(name, text.ToString());
    }

    static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    string Write(string name, string text)
    {
        string path = Path.Combine(cli.WorkDir, name);
        File.WriteAllText(path, text);
        return path;
    }

    string[] Train(params string[] more) => ["train", "data=csv", "threads=1", "progress=plain", $"loom.outputs={cli.Outputs}", .. more];

    static string Sig(LoomCli.Result run) => Regex.Match(run.Stdout + run.Stderr, @"sig\s+([0-9a-f]{8})").Groups[1].Value;

    JsonObject LastEpoch(string sig) => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(cli.XpFolder(sig), "history.json")))!.AsArray()[^1]!;

    [Fact]
    public void ClassifiesATableWithACategoricalColumnAndNamesItsClasses()
    {
        string table = WriteClassification("kinds.csv", 400, seed: 1);
        var run = cli.Run(Train("data.train=" + table, "data.target=kind", "data.categorical=[color]", "data.drop=[id]", "epochs=6"));
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        string sig = Sig(run);
        var last = LastEpoch(sig);
        double accuracy = last["test"]!["accuracy"]!.GetValue<double>();
        Assert.True(accuracy > 0.85, $"test accuracy {accuracy} (chance is 1/3)");
        Assert.Contains("model Mlp", run.Stdout + run.Stderr); // data=csv picks the MLP: no model= given

        var info = cli.Run("info", "-f", sig, $"--outputs={cli.Outputs}");
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Contains("classes: 3: high, low, mid", info.Stdout);
        var delta = cli.Run("info", "data=csv", "data.train=" + table, "data.target=kind", "data.categorical=[color]", "--json");
        Assert.DoesNotContain("\"model\"", JsonNode.Parse(delta.Stdout)!["delta"]!.ToJsonString()); // the model is csv's default, not a delta entry
    }

    [Fact]
    public void RegressesATargetWithRmseInItsUnits()
    {
        string train = WriteRegression("train.csv", 400, seed: 2, out double std);
        string test = WriteRegression("test.csv", 100, seed: 3, out _);
        var run = cli.Run(Train("data.train=" + train, "data.test=" + test, "data.target=y", "epochs=8", "optim=adam", "optim.lr=0.01"));
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var last = LastEpoch(Sig(run));
        Assert.Null(last["test"]!["accuracy"]);
        double rmse = last["test"]!["rmse"]!.GetValue<double>();
        Assert.True(rmse < 0.25 * std, $"test rmse {rmse} against a target std of {std}");
        Assert.Contains("best valid.rmse", run.Stdout + run.Stderr); // inferred regression: rmse is what selects (lower is better)
        Assert.False(File.Exists(Path.Combine(cli.XpFolder(Sig(run)), "classes.json")));
    }

    [Fact]
    public void MeanImputationFillsMissingNumbersWhenAskedTo()
    {
        string text = File.ReadAllText(WriteRegression("holes.csv", 200, seed: 4, out _));
        var lines = text.Split('\n');
        for (int i = 5; i < lines.Length - 1; i += 10) lines[i] = "," + lines[i][(lines[i].IndexOf(',') + 1)..]; // a missing `a`
        string table = Write("holes.csv", string.Join('\n', lines));
        var refused = cli.Run(Train("data.train=" + table, "data.target=y", "epochs=1"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{table}:6: column a: missing value", refused.Stderr);
        var filled = cli.Run(Train("data.train=" + table, "data.target=y", "data.missing=mean", "epochs=1"));
        Assert.True(filled.ExitCode == 0, filled.Stdout + filled.Stderr);
    }

    public static TheoryData<string, string[], string> BadInputs() => new()
    {
        { "a,b,y\n1,2,3\n", ["data.target=yy"], "data.target=yy: no such column in {table} (did you mean y?)" },
        { "alpha,beta,label\n1,2,a\n", ["data.target=lable"], "data.target=lable: no such column in {table} (did you mean label?)" },
        { "a,b,y\n1,2,3.5\n4,five,5.5\n", ["data.target=y"], "{table}:3: column b: 'five' is not a number" },
        { "a,b,y\n1,2,3.5\n4,,5.5\n", ["data.target=y"], "{table}:3: column b: missing value (''" },
        { "a,b,y\n1,2,3.5\n4,NA,5.5\n", ["data.target=y", "data.missing=refuse"], "{table}:3: column b: missing value ('NA'" },
        { "", ["data.target=y"], "{table}: empty file" },
        { "a,b,y\n", ["data.target=y"], "{table}: a header but no rows" },
        { "a,b,y\n1,2,3\n1,2\n", ["data.target=y"], "{table}:3: not a valid CSV row" },
        { "a,b,y\n1,2,3\n", ["data.target=y", "data.targte=y"], "unknown key 'data.targte' (did you mean data.target?)" },
        { "a,b,y\n1,2,3\n", ["data.target=y", "+data.colour=1"], "key 'data.colour' is not a setting of data" },
        { "a,b,y\n1,2,3\n", ["data.target=y", "data.missing=zero"], "data.missing=zero: expected refuse or mean" },
        { "a,b,y\n1,2,3\n", ["data.target=y", "data.task=regresion"], "data.task=regresion: expected classification or regression (or null) (did you mean regression?)" },
        { "a,b,y\n1,2,3\n", ["data.target=y", "data.categorical=[c]"], "data.categorical=c: no such column in {table}" },
        { "a,b,y\n1,2,x\n", ["data.target=y", "data.task=regression"], "{table}:2: column y: 'x' is not a number (data.task=regression predicts a number)" },
        { "a,b,y\n1,2,3\n", ["data.target=y", "model=cnn"], "model=cnn: data=csv is a table, which only model=mlp reads" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputIsOneLineExitTwoAndCreatesNothing(string content, string[] overrides, string expected)
    {
        string table = Write("bad.csv", content);
        var run = cli.Run(Train(["data.train=" + table, .. overrides]));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected.Replace("{table}", table), run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(cli.Outputs));
    }

    [Fact]
    public void ATestTableWithAnUnseenClassOrCategoryNamesItsLine()
    {
        string train = Write("train.csv", "a,color,kind\n1,red,x\n2,blue,y\n3,red,x\n4,blue,y\n5,red,x\n");
        string test = Write("test.csv", "a,color,kind\n1,red,x\n2,green,y\n");
        var run = cli.Run(Train("data.train=" + train, "data.test=" + test, "data.target=kind", "data.categorical=[color]"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{test}:3: column color: 'green' is not a category of the training file (categories: blue, red)", run.Stderr);
        Assert.False(Directory.Exists(cli.Outputs));
    }
}
