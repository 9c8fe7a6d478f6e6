using static TorchSharp.torch;

namespace Loom.Tasks;

/// <summary>
/// One batch of a supervised task: an input and a target tensor whose first dimension is the batch. A
/// task whose samples do not fit this shape packs them (the target may be any tensor its loss reads).
/// </summary>
public sealed class Batch(Tensor input, Tensor target) : IDisposable
{
    public Tensor Input { get; } = input;
    public Tensor Target { get; } = target;
    public int Size => (int)Input.shape[0];

    /// <summary>The batch on <paramref name="device"/> (this one when it is already there).</summary>
    public Batch To(Device device) => Input.device == device ? this : new Batch(Input.to(device), Target.to(device));

    public void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
    }
}
