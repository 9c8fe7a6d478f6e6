using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.Reporting;
using Loom.Tables;
using Loom.Tasks;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.App.Tests;

/// <summary>
/// A task's own metrics with their declared directions: `top5_acc` (higher is better, a name the old guesses judged
/// lower-is-better in the report) and `err` (lower is better). The trainer monitors and reports by the declaration,
/// writes it into the XP folder, and the report and the grid table read the same from there.
/// </summary>
[Collection(InProcessApp.Collection)]
public sealed class DeclaredMetricsTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("loom-declared-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>y = 2x + 1; `top5_acc`: the share of predictions within 0.5 of the target; `err`: the mean absolute error.</summary>
    public sealed class HitTask : LoomTask<LineSettings>
    {
        public override IReadOnlyList<MetricSpec> DeclaredMetrics => [MetricSpec.Max("top5_acc", MetricFormat.Percent), MetricSpec.Min("err")];
        public override string MonitorMetric => "top5_acc";

        public override TaskData LoadData() => LineData.Load(Settings.Samples);

        public override nn.Module CreateModel(TaskData data) => nn.Linear(1, 1);

        public override Tensor Step(nn.Module model, Batch batch, Metrics metrics)
        {
            var prediction = ((nn.Module<Tensor, Tensor>)model).forward(batch.Input);
            var distance = (prediction - batch.Target).abs();
            metrics.Add("top5_acc", distance.lt(0.5).sum().ToInt64(), batch.Size);
            metrics.Add("err", distance.sum().ToDouble(), batch.Size);
            return nn.functional.mse_loss(prediction, batch.Target);
        }
    }

    [Fact]
    public void TrainerAndReportAgreeOnADeclaredMaxMetricAndAMinMetric()
    {
        string conf = Path.Combine(root, "conf");
        Directory.CreateDirectory(conf);
        File.WriteAllText(Path.Combine(conf, "config.yaml"), """
            epochs: 4
            batch_size: 64
            threads: 1
            adaptive_threads: false
            progress: none
            samples: 256
            optim:
              name: sgd
              lr: 0.05
            """);
        var prepared = PreparedXp.Prepare(Xp.Create(conf, [], Path.Combine(root, "outputs")), () => new HitTask());
        torch.manual_seed(3);
        var report = new XpRun(prepared).Run()!;
        string folder = prepared.Xp.Folder;

        var written = MetricDeclarations.Read(folder);
        Assert.Equal([MetricSpec.Loss, MetricSpec.Max("top5_acc", MetricFormat.Percent), MetricSpec.Min("err")], written.Metrics);

        var history = History.Load(folder);
        double[] hits = history.Epochs.Select(e => History.Metric(e, "valid.top5_acc")!.Value).ToArray();
        double[] errors = history.Epochs.Select(e => History.Metric(e, "valid.err")!.Value).ToArray();
        Assert.True(hits.Max() > hits.Min() && errors.Max() > errors.Min(), $"the metrics must move for the test to mean anything: {string.Join(", ", hits)} / {string.Join(", ", errors)}");

        // The trainer: monitored and best in the declared direction.
        Assert.Equal("valid.top5_acc", report.Monitor);
        Assert.Equal(hits.Max(), report.BestMonitored);

        // The report: the same best values, directions and formats, read from the folder.
        var data = ReportData.Build("t", [new ReportTarget(prepared.Xp, null)]);
        Assert.Equal(hits.Max(), data.Xps[0].Best["valid.top5_acc"]);
        Assert.Equal(errors.Min(), data.Xps[0].Best["valid.err"]);
        Assert.Contains("valid.top5_acc", data.Maximized);
        Assert.DoesNotContain("valid.err", data.Maximized);
        Assert.Contains("valid.top5_acc", data.Percent);
        Assert.DoesNotContain("valid.err", data.Percent);

        // The grid table: the declared format.
        var table = GridTable.Build([new XpStatus(0, prepared.Xp, null, XpMetrics.Read(folder))]);
        var row = table.Rows[0];
        Assert.Equal($"{100 * hits[^1]:F2}", row[table.Headers.ToList().IndexOf("valid top5_acc")]);
        Assert.Equal($"{errors[^1]:F4}", row[table.Headers.ToList().IndexOf("valid err")]);
    }

    [Fact]
    public void AFolderWithoutDeclarationsKeepsTheFormerReadingAndADamagedOneIsNamed()
    {
        Assert.Equal(MetricSpec.Max("accuracy", MetricFormat.Percent), MetricDeclarations.Read(root).For("valid.accuracy"));
        Assert.Equal(MetricSpec.Min("top5_acc"), MetricDeclarations.Read(root).For("valid.top5_acc"));
        File.WriteAllText(Path.Combine(root, MetricDeclarations.FileName), """[{"name": "x", "goal": "up", "format": "decimal"}]""");
        var e = Assert.Throws<InvalidDataException>(() => MetricDeclarations.Read(root));
        Assert.Contains("metrics.json", e.Message);
        Assert.Contains("goal 'up'", e.Message);
    }
}
