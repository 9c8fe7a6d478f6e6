namespace Loom.Optim;

/// <summary>
/// The large-batch scaling rule (Goyal et al. 2017, "Accurate, Large Minibatch SGD"): the configured LR is
/// the one for `reference` samples per step; a step over `batch` samples uses lr × batch/reference
/// (`linear`) or lr × √(batch/reference) (`sqrt`, the usual rule for Adam-like methods).
/// </summary>
public static class LrScaling
{
    public static readonly string[] Names = ["none", "linear", "sqrt"];

    public static double Scale(double lr, string rule, int batch, int reference) => rule switch
    {
        "none" => lr,
        "linear" => lr * batch / reference,
        "sqrt" => lr * Math.Sqrt((double)batch / reference),
        _ => throw new ArgumentException($"optim.scale_lr: unknown rule '{rule}' (expected one of {string.Join(", ", Names)})"),
    };
}
