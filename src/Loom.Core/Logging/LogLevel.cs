namespace Loom.Logging;

public enum LogLevel { Debug, Info, Warning, Error }
