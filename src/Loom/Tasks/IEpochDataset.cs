using static TorchSharp.torch;

namespace Loom.Tasks;

/// <summary>
/// A training data set whose samples change with the epoch (random augmentation): the trainer gathers its training
/// batches through <see cref="Gather(Tensor, long, int)"/>, with the XP's seed and the epoch. The samples must be a
/// pure function of (seed, epoch, sample index) — no state carried between calls — which is what keeps a resumed
/// run bit-exact, `-d N` equal to one process, and batches gathered ahead on worker threads equal to those
/// gathered in order (<see cref="Loom.Data.Loading.BatchLoader"/>).
/// </summary>
public interface IEpochDataset : IDataset
{
    /// <summary>The samples at <paramref name="indices"/> as drawn for <paramref name="epoch"/> (1-based) under <paramref name="seed"/>.</summary>
    Batch Gather(Tensor indices, long seed, int epoch);
}
