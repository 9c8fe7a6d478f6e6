using Loom.Experiments;
using Loom.TensorBoard;

namespace Loom.Training;

/// <summary>
/// Writes an XP's TensorBoard event files under `&lt;xp&gt;/tensorboard/` during training (see
/// <see cref="XpEventLog"/> for what and how a resumed XP keeps its points). Only the main process writes.
/// </summary>
public sealed class TensorBoardCallback : ITrainingCallback
{
    readonly TensorBoardOptions options;
    readonly IReadOnlyDictionary<string, object?> hparams;
    XpEventLog? log;

    /// <summary><paramref name="hparams"/>: the XP's hyper-parameters for the HPARAMS tab (its delta).</summary>
    public TensorBoardCallback(TensorBoardOptions options, IReadOnlyDictionary<string, object?> hparams)
    {
        this.options = options.Validated();
        this.hparams = hparams;
    }

    /// <summary><paramref name="delta"/>: the XP's delta, its hyper-parameters in the HPARAMS tab.</summary>
    public TensorBoardCallback(TensorBoardOptions options, IEnumerable<DeltaItem> delta)
        : this(options, HParamValue.FromDelta(delta)) { }

    public void FitStarted(FitStart fit)
    {
        if (!options.Enabled || !fit.Process.IsMain) return;
        log = XpEventLog.Open(Path.Combine(fit.XpFolder, TensorBoardOptions.FolderName), options.EveryNSteps, hparams,
            fit.ResumedEpochs, (long)fit.ResumedEpochs * fit.StepsPerEpoch, fit.History);
    }

    public void StepEnded(StepEnd step) => log?.Step(step.GlobalStep, step.Loss, step.Lr);

    public void EpochEnded(EpochEnd epoch) => log?.Epoch(epoch.Epoch, epoch.Entry);

    public void FitEnded(FitEnd fit)
    {
        if (fit.Error is FitInterruptedException) log?.Dispose(); // stopped to be requeued: the session goes on, no end record
        else log?.End(success: fit.Error is null);
        log = null;
    }
}
