namespace Loom.Grids;

/// <summary>A grid that cannot be found or run, or a bad pattern: the user's input, reported in one line.</summary>
public sealed class GridException(string message, Exception? inner = null) : Exception(message, inner);
