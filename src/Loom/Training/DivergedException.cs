namespace Loom.Training;

/// <summary>The training loss became NaN or infinite: the run cannot continue (its own exit code: not a config typo, not a crash).</summary>
public sealed class DivergedException(string message) : Exception(message);
