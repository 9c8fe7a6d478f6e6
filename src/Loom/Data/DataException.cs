namespace Loom.Data;

/// <summary>A data file is missing, truncated or not what it claims to be. The message is one line naming the file.</summary>
public sealed class DataException(string message) : Exception(message);
