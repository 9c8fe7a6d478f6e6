using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Grids;

/// <summary>One member of a grid: the XP and the resources its launcher asked for.</summary>
public sealed record GridXp(Xp Xp, Resources Resources);
