using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Distributed;

/// <summary>
/// How the trainer keeps data-parallel ranks identical (PyTorch DDP's job): start every rank from rank 0's
/// parameters and buffers, average the gradients once per optimizer step (after the last micro-batch of an
/// accumulation group: DDP's `no_sync` for the others), keep buffers such as BatchNorm's running
/// statistics consistent before evaluation. Null for one process.
/// </summary>
public interface IGradientSync
{
    /// <summary>After the model and checkpoint are loaded, before the first step.</summary>
    void Start(nn.Module model, IReadOnlyList<Parameter> parameters);

    /// <summary>Zeroes the gradients for a new accumulation group (in place when the sync keeps them in a buffer).</summary>
    void ZeroGrad();

    /// <summary>Makes every rank's gradients the global batch's mean gradient; called once per optimizer step, before
    /// clipping. The trainer weighs each rank's loss by (its samples ÷ the global batch), so this is a plain sum.</summary>
    void GradientsReady();

    /// <summary>Before the evaluation splits of each epoch.</summary>
    void BeforeEvaluation(nn.Module model);
}
