using System.Text.Json.Nodes;
using Loom.Optim;
using Loom.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Training;

/// <summary>
/// The batches of one split, apart from the epoch bookkeeping (<see cref="Trainer"/>): a training epoch (forward,
/// backward through the <see cref="GradientStepper"/>, the step callbacks, the stop poll) and an evaluation pass,
/// each ending with the split's sample-weighted means reduced over the ranks by the strategy.
/// </summary>
sealed class StepLoop(ITaskDefinition task, TrainerOptions options, ITrainingStrategy strategy, Device device, IReadOnlyList<ITrainingCallback> callbacks)
{
    readonly Distributed.ProcessContext process = options.Process;

    /// <summary>
    /// One training epoch; <paramref name="resumeAt"/> (a mid-epoch checkpoint's state) skips the batches done before it.
    /// When <see cref="TrainerOptions.StopRequested"/> says stop, <paramref name="checkpointMidEpoch"/> writes the state
    /// and the epoch ends with <see cref="FitInterruptedException"/>.
    /// </summary>
    public Dictionary<string, double> Train(nn.Module model, GradientStepper stepper, IDataset dataset, EpochSampler sampler,
        int epoch, LrController lr, JsonObject? resumeAt, Action<int, Metrics> checkpointMidEpoch, Loom.Data.Loading.BatchLoader? loader = null)
    {
        model.train();
        int skip = resumeAt?["batch"]?.GetValue<int>() ?? 0;
        var metrics = resumeAt?["metrics"] is JsonObject saved ? ResumedMetrics(saved) : new Metrics();
        int batches = sampler.Batches;
        stepper.BeginEpoch(epoch - 1, batches, resumeAt?["skipped_steps"]?.GetValue<int>() ?? 0);
        stepper.Skip(skip);
        int step = skip;
        long globalStep = (long)(epoch - 1) * batches;
        long seed = options.Train.Seed;
        Func<Tensor, Batch> gather = dataset is IEpochDataset drawn ? indices => drawn.Gather(indices, seed, epoch) : dataset.Gather;
        foreach (var (gathered, globalSize) in (loader ?? Loom.Data.Loading.BatchLoader.Synchronous).Load(After(sampler.Epoch(epoch), skip), gather))
        {
            using var scope = NewDisposeScope();
            double loss = double.NaN;
            int size = 0;
            if (gathered is null) stepper.Backward(null, 0); // an empty share of a short last batch: join the step with zeros
            else
            {
                using var loaded = gathered;
                using var batch = loaded.To(device);
                size = batch.Size;
                var lossTensor = task.Step(model, batch, metrics);
                // Each rank's mean is over its share; weighting it by share / global makes the SUM of the ranks'
                // gradients the global batch's mean gradient exactly (no ÷ W pass over the gradients), also when
                // the last batch does not split evenly.
                double weight = process.IsDistributed ? (double)size / globalSize : 1.0;
                loss = stepper.Backward(lossTensor, weight); // a non-finite loss stops here (optim.nonfinite=stop) or is left out (skip)
                if (double.IsFinite(loss)) metrics.AddMean("loss", loss, size);
            }
            step++;
            var end = new StepEnd(epoch, step, batches, globalStep + step, loss, lr.Current, size, metrics);
            foreach (var c in callbacks) c.StepEnded(end);
            Loom.IO.CrashPoint.Hit("train.step"); // `LOOM_TEST_ONLY_SIGKILL_AT=train.step` times start-up to the first step (bench/startup)
            // The stop request was agreed by the ranks in this step's gradient all-reduce (GradientStepper): no collective of its own.
            if (options.StopRequested is not null && step < batches && stepper.AtStepBoundary && stepper.StopAgreed)
            {
                checkpointMidEpoch(step, AllRanks(metrics));
                throw new FitInterruptedException(epoch, step);
            }
        }
        var means = Complete("train", metrics);
        if (options.Optim.Nonfinite == "skip") means["skipped_steps"] = stepper.SkippedSteps; // the same on every rank: the decision is collective
        return means;
    }

    /// <summary>The epoch's batches after the first <paramref name="skip"/> (done before a mid-epoch checkpoint), which are never gathered.</summary>
    static IEnumerable<(Tensor? Indices, int GlobalSize)> After(IEnumerable<(Tensor? Indices, int GlobalSize)> batches, int skip)
    {
        int index = 0;
        foreach (var b in batches)
        {
            if (index++ < skip) { b.Indices?.Dispose(); continue; }
            yield return b;
        }
    }

    /// <summary>One pass over an evaluation split (this rank's share), model in eval mode, no gradients.</summary>
    public Dictionary<string, double> Evaluate(nn.Module model, IDataset dataset, string split)
    {
        model.eval();
        var metrics = new Metrics();
        using var noGrad = torch.no_grad();
        int batchSize = Math.Max(options.Train.BatchSize / process.WorldSize, 256);
        var (start, length) = EpochSampler.EvaluationShare(dataset.Count, process);
        if (length == 0) throw new Config.ConfigException($"the {split} split has {dataset.Count} samples, fewer than the {process.WorldSize} ranks");
        for (int s = start; s < start + length; s += batchSize)
        {
            using var scope = NewDisposeScope();
            using var batch = dataset.Slice(s, Math.Min(batchSize, start + length - s)).To(device);
            var loss = task.Step(model, batch, metrics);
            metrics.AddMean("loss", loss.ToDouble(), batch.Size);
        }
        return Complete(split, metrics);
    }

    /// <summary>
    /// The partial epoch's metric sums over every rank (a collective: all ranks stop at the same step), as the
    /// mid-epoch checkpoint keeps them. Rank 0's own sums alone would lose the other ranks' share of the epoch.
    /// </summary>
    Metrics AllRanks(Metrics partial)
    {
        var global = Metrics.FromJson(partial.ToJson());
        var sums = global.ToSums();
        strategy.ReduceMetrics(sums);
        global.SetSums(sums);
        return global;
    }

    /// <summary>
    /// A mid-epoch checkpoint's metric sums (those of all ranks, <see cref="AllRanks"/>) go on on rank 0; the other
    /// ranks go on from zero sums under the same names in the same order, so that the epoch's reduction counts
    /// the saved part once and its sums line up rank by rank.
    /// </summary>
    Metrics ResumedMetrics(JsonObject saved)
    {
        var metrics = Metrics.FromJson(saved);
        if (!process.IsMain) metrics.SetSums(new double[metrics.ToSums().Length]);
        return metrics;
    }

    /// <summary>Sums the split's metric sums over the ranks (every rank then reports the same), then the task's derived metrics.</summary>
    Dictionary<string, double> Complete(string split, Metrics metrics)
    {
        var sums = metrics.ToSums();
        strategy.ReduceMetrics(sums);
        metrics.SetSums(sums);
        var means = metrics.Means();
        task.CompleteEpochMetrics(split, means);
        return means;
    }
}
