namespace Loom.Search;

/// <summary>Where a trial stands: proposed and running, finished with a value, stopped early by a pruner, or failed.</summary>
public enum TrialState { Running, Complete, Pruned, Failed }
