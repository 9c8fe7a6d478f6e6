namespace Loom.Search;

/// <summary>Thrown by an objective when <see cref="Trial.ShouldPrune"/> says stop; the study records the trial as pruned.</summary>
public sealed class TrialPrunedException() : Exception("trial pruned");
