namespace Loom.Training;

/// <summary>Lets a callback end the fit after the current epoch (early stopping) — the loop asks, callbacks tell.</summary>
public sealed class FitControl
{
    public bool StopRequested { get; private set; }
    public string? Reason { get; private set; }

    public void RequestStop(string reason)
    {
        StopRequested = true;
        Reason ??= reason;
    }
}
