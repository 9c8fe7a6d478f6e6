using Loom.Distributed;
using Loom.Experiments;
using Loom.Logging;

namespace Loom.Tasks;

/// <summary>What a task may know about the run it is part of: its XP, its process (rank), its log and device.</summary>
public sealed record TaskContext(Xp Xp, ProcessContext Process, Logger Log, string Device);
