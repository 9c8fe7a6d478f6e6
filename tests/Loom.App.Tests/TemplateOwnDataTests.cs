using Loom.Data;
using Loom.Experiments;
using Loom.Training;
using LoomApp1;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Loom.App.Tests;

/// <summary>
/// The template's own-data parts (templates/loom-app/OwnData.cs and its README section, "Your own data set") as a user's
/// task calls them: an image folder and a CSV table read by Loom's data sets into a TaskData with the background loader,
/// and the template's text task gathering its batches on `data.workers` threads with the same result as without.
/// </summary>
[Collection(InProcessApp.Collection)]
public sealed class TemplateOwnDataTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("loom-template-own-data-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>root/train|test/{cat,dog}/i.png: 8×8 gray PNGs, cats dark (10 + i), dogs light (200 + i).</summary>
    string WriteFolder(int trainPerClass, int testPerClass)
    {
        string folder = Path.Combine(root, "pets");
        foreach (var (split, count) in new[] { ("train", trainPerClass), ("test", testPerClass) })
            foreach (var (cls, level) in new[] { ("cat", 10), ("dog", 200) })
            {
                Directory.CreateDirectory(Path.Combine(folder, split, cls));
                for (int i = 0; i < count; i++)
                {
                    using var image = new Image<L8>(8, 8, new L8((byte)(level + i)));
                    image.SaveAsPng(Path.Combine(folder, split, cls, $"{i}.png"));
                }
            }
        return folder;
    }

    [Fact]
    public void AnImageFolderBecomesTheTasksDataWithTheBackgroundLoader()
    {
        var settings = new DataSettings { Root = WriteFolder(5, 2), ValidFraction = 0.2, Workers = 2, Prefetch = 3,
            Augment = new AugmentSettings { Flip = true, CropPadding = 1 } };
        DataSettingsValidator.Validate(settings);
        var (data, splits) = OwnData.ImageFolder(settings);
        using (data)
        {
            Assert.Equal(["cat", "dog"], splits.ClassNames);
            Assert.Equal((1, 8, 8, 2), (splits.Channels, splits.Height, splits.Width, splits.Classes));
            Assert.Equal((8, 2, 4), (data.Train.Count, data.Valid!.Count, data.Test!.Count));
            Assert.Equal((Math.Min(2, Environment.ProcessorCount), 3), (data.Loader.Workers, data.Loader.Prefetch));

            using var test = data.Test.Slice(0, 4);
            Assert.Equal([4L, 1, 8, 8], test.Input.shape);
            Assert.Equal([0L, 0, 1, 1], test.Target.data<long>().ToArray());
            // Normalized with the training split's statistics: cats below its mean, dogs above.
            Assert.True(test.Input[1].max().item<float>() < 0 && test.Input[2].min().item<float>() > 0, "cats dark, dogs light after normalization");

            // The training batches through the loader's workers, augmented (crop padding 1: a black border may come in).
            var sampler = new EpochSampler(data.Train.Count, 4, 42, Distributed.ProcessContext.Single);
            var drawn = (Tasks.IEpochDataset)data.Train;
            int seen = 0;
            foreach (var (batch, _) in data.Loader.Load(sampler.Epoch(1), indices => drawn.Gather(indices, 42, 1)))
                using (batch) seen += batch!.Size;
            Assert.Equal(8, seen);
        }
    }

    [Fact]
    public void ACsvTableBecomesTheTasksDataWithItsSchema()
    {
        string csv = Path.Combine(root, "t.csv");
        File.WriteAllLines(csv, ["a,b,color,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 3}.5,{(i % 2 == 0 ? "red" : "blue")},{(i < 10 ? "no" : "yes")}")]);
        var settings = new DataSettings { Name = "csv", Train = csv, Target = "label", Categorical = ["color"], Root = null };
        var (data, schema) = OwnData.Table(settings);
        using (data)
        {
            Assert.Equal(4, schema.Width); // a, b, color=blue, color=red
            Assert.Equal(["no", "yes"], schema.Classes);
            Assert.False(schema.IsRegression);
            Assert.Equal(20, data.Train.Count + data.Valid!.Count + data.Test!.Count);
            Assert.Equal(4, data.Test.Count); // test_fraction 0.2
            using var batch = data.Train.Slice(0, 2);
            Assert.Equal(4, batch.Input.shape[^1]);
        }
    }

    [Fact]
    public void TheTextTaskGathersOnWorkersWithTheSameResultAndTheSameSignature()
    {
        string conf = Path.Combine(Shell.RepoRoot, "templates", "loom-app", "conf");
        string[] argv = ["epochs=1", "data.limit=3000", "data.seq_len=16", "model.dim=16", "model.heads=2", "model.layers=1",
            "threads=1", "adaptive_threads=false", "progress=none"]; // libtorch at 1 thread in both runs (XpRun gives it threads − workers, at least 1)
        (string Sig, string History) Train(string outputs, params string[] extra)
        {
            var prepared = PreparedXp.Prepare(Xp.Create(conf, [.. argv, .. extra], Path.Combine(root, outputs)), () => new CharLmTask());
            Assert.NotNull(new XpRun(prepared).Run());
            return (prepared.Xp.Sig, File.ReadAllText(Path.Combine(prepared.Xp.Folder, "history.json")));
        }
        var inline = Train("inline");
        var ahead = Train("ahead", "data.workers=2", "data.prefetch=3");
        Assert.Equal(inline.Sig, ahead.Sig); // how the batches are gathered is not what the XP computes
        Assert.Equal(Strip(inline.History), Strip(ahead.History));

        var bad = Assert.ThrowsAny<Exception>(() => PreparedXp.Prepare(Xp.Create(conf, [.. argv, "data.workers=-1"], Path.Combine(root, "bad")), () => new CharLmTask()));
        Assert.Contains("data.workers=-1: expected 0", bad.Message);
    }

    /// <summary>The history's metrics (train and valid of each epoch), without its timings, which differ from run to run.</summary>
    static string Strip(string history) => string.Join("\n", System.Text.Json.Nodes.JsonNode.Parse(history)!.AsArray()
        .Select(e => $"{e!["train"]!.ToJsonString()} {e["valid"]!.ToJsonString()}"));
}
