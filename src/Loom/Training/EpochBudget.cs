namespace Loom.Training;

/// <summary>
/// Stops the fit after epoch <c>stopAfter</c> (`loom.stop_after`, excluded from the signature): a search's rung.
/// The XP keeps its full `epochs`, so its LR schedule is the full run's, and a later job with a larger budget
/// resumes it from the checkpoint as if it had never stopped.
/// </summary>
public sealed class EpochBudget(int stopAfter) : ITrainingCallback
{
    FitControl? control;

    public void FitStarted(FitStart fit)
    {
        control = fit.Control;
        if (fit.History.Count >= stopAfter) control.RequestStop($"loom.stop_after={stopAfter} reached");
    }

    public void EpochEnded(EpochEnd epoch)
    {
        if (epoch.History.Count >= stopAfter) control!.RequestStop($"loom.stop_after={stopAfter} reached");
    }
}
