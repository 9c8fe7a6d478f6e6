namespace Loom.Grids;

/// <summary>Dora's submit rules and grid flags (see `loom grid --help`).</summary>
public sealed record GridOptions(bool Retry = false, bool Replace = false, bool ReplaceDone = false,
    bool Cancel = false, bool Clear = false, bool DryRun = false, bool Init = false);
