using Loom.Config;
using Loom.Experiments;
using Loom.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace LoomApp1;

/// <summary>
/// A character-level language model: predict each next character of a text with einsum attention blocks.
/// Loss: next-character cross-entropy (nats); metrics: accuracy of the most likely next character and
/// perplexity = exp(loss). Loom does the rest: epochs, checkpoints, resume, schedules, grids.
/// </summary>
public sealed class CharLmTask : LoomTask<CharLmSettings>
{
    string vocabulary = "";

    public override IReadOnlyList<MetricSpec> DeclaredMetrics => [MetricSpec.Max("accuracy", MetricFormat.Percent), MetricSpec.Min("perplexity")];

    public override void Validate()
    {
        var (d, m) = (Settings.Data, Settings.Model);
        if (d.SeqLen <= 0) throw new ConfigException($"data.seq_len={d.SeqLen}: expected a positive integer");
        if (d.ValidFraction is < 0 or >= 1) throw new ConfigException($"data.valid_fraction={d.ValidFraction}: expected a number in [0, 1)");
        if (d.Limit is <= 0) throw new ConfigException($"data.limit={d.Limit}: expected a positive integer or null");
        if (d.Workers < 0) throw new ConfigException($"data.workers={d.Workers}: expected 0 (gather on the training thread) or more");
        if (d.Prefetch < 1) throw new ConfigException($"data.prefetch={d.Prefetch}: expected 1 or more batches");
        if (m.Dim <= 0 || m.Heads <= 0 || m.Layers <= 0) throw new ConfigException($"model.dim/heads/layers={m.Dim}/{m.Heads}/{m.Layers}: expected positive integers");
        if (m.Dim % m.Heads != 0) throw new ConfigException($"model.dim={m.Dim}: not divisible by model.heads={m.Heads}");
        if (m.Dropout is < 0 or >= 1) throw new ConfigException($"model.dropout={m.Dropout}: expected a probability in [0, 1)");
    }

    public override TaskData LoadData()
    {
        (var data, vocabulary) = TextData.Load(Settings.Data);
        Context.Log.Info($"text {Settings.Data.Path}: vocabulary of {vocabulary.Length} characters");
        return data;
    }

    public override nn.Module CreateModel(TaskData data) => new CharTransformer(vocabulary.Length, Settings.Data.SeqLen, Settings.Model);

    public override Tensor Step(nn.Module model, Batch batch, Metrics metrics)
    {
        var logits = ((nn.Module<Tensor, Tensor>)model).forward(batch.Input);
        var flatLogits = logits.reshape(-1, logits.shape[^1]);
        var flatTargets = batch.Target.reshape(-1);
        metrics.Add("accuracy", flatLogits.argmax(1).eq(flatTargets).sum().ToInt64(), flatTargets.shape[0]);
        return nn.functional.cross_entropy(flatLogits, flatTargets);
    }

    public override void CompleteEpochMetrics(string split, IDictionary<string, double> means) =>
        means["perplexity"] = Math.Exp(means["loss"]);
}
