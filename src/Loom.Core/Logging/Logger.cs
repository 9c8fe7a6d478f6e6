namespace Loom.Logging;

/// <summary>A named logger writing to a <see cref="LogSink"/> (`[time][name][LEVEL] message`).</summary>
public sealed class Logger(LogSink sink, string name)
{
    public string Name { get; } = name;
    public void Debug(string message) => sink.Write(Name, LogLevel.Debug, message);
    public void Info(string message) => sink.Write(Name, LogLevel.Info, message);
    public void Warning(string message) => sink.Write(Name, LogLevel.Warning, message);
    public void Error(string message) => sink.Write(Name, LogLevel.Error, message);
}
