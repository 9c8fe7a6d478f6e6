using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.Grids;
using Loom.Searches;

namespace Loom.Report.Tests;

/// <summary>
/// A temporary conf folder (a tiny task: a `model` group, `optim.lr`, `seed`) and outputs folder, in which
/// the tests write real XP folders (config.yaml, .argv.json via <see cref="Xp.WriteDefinition"/>) with
/// made-up histories. The reporting code reads them exactly as it reads a trainer's.
/// </summary>
public sealed class XpFixture : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "loom-report-tests", Guid.NewGuid().ToString("N")[..10]);
    public string Conf => Path.Combine(Root, "conf");
    public string Outputs => Path.Combine(Root, "outputs");

    public XpFixture()
    {
        Directory.CreateDirectory(Path.Combine(Conf, "model"));
        File.WriteAllText(Path.Combine(Conf, "config.yaml"), """
            defaults:
              - model: cnn
              - _self_
            seed: 42
            epochs: 4
            optim:
              lr: 0.1
            note: ""
            loom:
              outputs: ./outputs
            """);
        File.WriteAllText(Path.Combine(Conf, "model", "cnn.yaml"), "name: cnn\nwidth: 32\n");
        File.WriteAllText(Path.Combine(Conf, "model", "mlp.yaml"), "name: mlp\nwidth: 128\n");
        Directory.CreateDirectory(Outputs);
    }

    /// <summary>An XP folder for <paramref name="argv"/> whose history has <paramref name="epochs"/> epochs of <see cref="Epoch"/>.</summary>
    public Xp AddXp(IReadOnlyList<string> argv, int epochs, bool withValid = true)
    {
        var xp = Xp.Create(Conf, argv, Outputs);
        xp.WriteDefinition();
        double lr = xp.Config.Get<double>("optim.lr");
        int seed = xp.Config.Get<int>("seed");
        var history = new History(Enumerable.Range(1, epochs).Select(e => Epoch(e, lr, seed, withValid)));
        history.Save(xp.Folder);
        return xp;
    }

    /// <summary>A made-up epoch: the loss falls with the epoch and the LR, the accuracy rises; the seed shifts both a little.</summary>
    public static JsonObject Epoch(int e, double lr, int seed, bool withValid = true)
    {
        double loss = 1.0 / (e * (1 + 10 * lr)) + seed % 7 * 0.001;
        var o = new JsonObject
        {
            ["epoch"] = e,
            ["train"] = new JsonObject { ["loss"] = loss, ["accuracy"] = 1 - loss / 2 },
            ["test"] = new JsonObject { ["loss"] = loss * 1.1, ["accuracy"] = 1 - loss / 1.8 },
            ["lr"] = lr / e,
            ["duration"] = 12.5,
        };
        if (withValid) o["valid"] = new JsonObject { ["loss"] = loss * 1.05, ["accuracy"] = 1 - loss / 1.9 };
        return o;
    }

    /// <summary>Remembers <paramref name="xps"/> as the members of grid <paramref name="name"/>, as `loom grid` does.</summary>
    public void SaveGrid(string name, IEnumerable<Xp> xps) => GridMembers.Save(Outputs, name, xps.Select(x => x.Sig));

    /// <summary>
    /// A search as `loom search` leaves it: one XP per trial (optim.lr and model from <paramref name="trials"/>, as
    /// many epochs as its last rung) with the metrics.json of a task declaring accuracy higher-is-better, and the
    /// state.json with the trials, the order they finished and the objective.
    /// </summary>
    public SearchState AddSearch(string name, IReadOnlyList<(double Lr, string Model, TrialState State, SortedDictionary<int, double> Values)> trials, IReadOnlyList<int> finished)
    {
        var declared = new MetricDeclarations([MetricSpec.Loss, MetricSpec.Max("accuracy", MetricFormat.Percent)]);
        var state = new SearchState
        {
            Objective = "valid.accuracy", Finished = [.. finished],
            Parameters = [new SearchAxis("optim.lr", Log: true, Choice: false), new SearchAxis("model", Log: false, Choice: true)],
        };
        foreach (var (t, i) in trials.Select((t, i) => (t, i)))
        {
            var xp = AddXp([$"optim.lr={t.Lr}", $"model={t.Model}"], t.Values.Count == 0 ? 0 : t.Values.Keys.Last());
            declared.Write(xp.Folder);
            state.Trials.Add(new TrialRecord
            {
                Number = i, Sig = xp.Sig, State = t.State, Values = t.Values, Rung = Math.Max(0, t.Values.Count - 1),
                Value = t.State == TrialState.Complete || t.State == TrialState.Pruned ? t.Values.Values.Last() : null,
                Params = new() { ["optim.lr"] = Loom.Searches.Trial.Format(t.Lr), ["model"] = t.Model },
            });
        }
        state.Save(SearchState.Folder(Outputs, name));
        return state;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } // a browser may still hold a file
    }
}
