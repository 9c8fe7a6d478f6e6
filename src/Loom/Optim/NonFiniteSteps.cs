using Loom.Training;

namespace Loom.Optim;

/// <summary>
/// What an optimizer step whose training loss is NaN or infinite does (`optim.nonfinite`): `stop` (the default)
/// ends the run at that step with a <see cref="DivergedException"/> (exit 3; the epoch writes no checkpoint and no
/// history line), `skip` leaves the step out (no update) and counts it, up to `optim.max_skips` per epoch, then stops
/// as `stop` does. The decision is the same on every rank: the caller passes the flags already reduced over the ranks.
/// </summary>
public sealed class NonFiniteSteps(OptimSettings settings, Action<string>? warn = null)
{
    public static readonly string[] Modes = ["stop", "skip"];

    /// <summary>The steps left out in the current epoch.</summary>
    public int Skipped { get; private set; }

    public void BeginEpoch(int resumedSkips = 0) => Skipped = resumedSkips;

    /// <summary>
    /// Returns when the step is to be skipped; throws to stop. <paramref name="epoch"/> and <paramref name="step"/>
    /// are 1-based (the step is the batch that completes the optimizer step), <paramref name="nan"/> says whether
    /// any rank's loss was NaN (otherwise one was infinite).
    /// </summary>
    public void Handle(int epoch, int step, bool nan)
    {
        string where = $"epoch {epoch}, step {step}: the training loss is {(nan ? "NaN" : "infinite")}";
        const string advice = "lower optim.lr, add a warm-up (schedule.warmup_epochs) or clip the gradients (optim.clip_grad_norm)";
        if (settings.Nonfinite != "skip")
            throw new DivergedException($"{where} (diverged): {advice}, or set optim.nonfinite=skip to leave out rare bad batches");
        if (Skipped >= settings.MaxSkips)
            throw new DivergedException($"{where}, more than optim.max_skips={settings.MaxSkips} steps left out this epoch (diverged): {advice}");
        Skipped++;
        warn?.Invoke($"{where}: step left out ({Skipped} of at most {settings.MaxSkips} this epoch, optim.nonfinite=skip)");
    }
}
