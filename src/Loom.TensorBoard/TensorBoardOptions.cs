namespace Loom.TensorBoard;

/// <summary>
/// What an XP writes for TensorBoard (config keys `loom.tensorboard.enabled`, `loom.tensorboard.every_n_steps`,
/// excluded from the signature with the rest of `loom.*`).
/// </summary>
/// <param name="Enabled">Write `&lt;xp&gt;/tensorboard/` at all.</param>
/// <param name="EveryNSteps">Log the training loss (mean over the last N batches) and the LR every N batches; 0: epochs only.</param>
public sealed record TensorBoardOptions(bool Enabled = true, int EveryNSteps = 50)
{
    /// <summary>The folder under an XP's folder.</summary>
    public const string FolderName = "tensorboard";

    public TensorBoardOptions Validated() => EveryNSteps < 0
        ? throw new ArgumentException($"loom.tensorboard.every_n_steps: {EveryNSteps} is negative (0 turns step logging off)")
        : this;
}
