namespace Loom.Training;

/// <summary>No usable checkpoint where one was expected: never silently replaced by training from scratch.</summary>
public sealed class CheckpointException(string message) : Exception(message);
