using Loom.Distributed;
using Loom.Experiments;
using Loom.Logging;

namespace Loom.Tasks;

/// <summary>What a task may know about the run it is part of: its XP folder, its process (rank), its log and device.</summary>
public sealed record TaskContext(string XpFolder, ProcessContext Process, Logger Log, string Device)
{
    /// <summary>The XP (config, delta, signature) when the run has one (`loom train`, <see cref="Training.XpRun"/>); null for a trainer used directly.</summary>
    public Xp? Xp { get; init; }
}
