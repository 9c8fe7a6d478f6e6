namespace Loom.Logging;

/// <summary>
/// Where log lines go: the console (colored when it is a terminal, plain otherwise) and, once an XP folder
/// is known, its `train.log` (always plain). Format as the lecture's logger: `[time][logger][LEVEL] message`.
/// Thread-safe; the file is flushed line by line so that `loom info -t` can follow it.
/// </summary>
public sealed class LogSink : IDisposable
{
    readonly object gate = new();
    readonly TextWriter console;
    readonly bool colors;
    StreamWriter? file;
    string? filePath;

    public LogSink(TextWriter? console = null, bool? colors = null)
    {
        this.console = console ?? Console.Error;
        this.colors = colors ?? (console is null && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null);
    }

    public LogLevel MinimumLevel { get; set; } = LogLevel.Info;

    /// <summary>Also append every line to <paramref name="path"/> from now on.</summary>
    public void AttachFile(string path)
    {
        lock (gate)
        {
            file?.Dispose();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            filePath = path;
        }
    }

    public Logger For(string name) => new(this, name);

    internal void Write(string logger, LogLevel level, string message)
    {
        if (level < MinimumLevel) return;
        string time = DateTime.Now.ToString("MM-dd HH:mm:ss");
        string tag = level switch { LogLevel.Debug => "DEBUG", LogLevel.Info => "INFO", LogLevel.Warning => "WARNING", _ => "ERROR" };
        string plain = $"[{time}][{logger}][{tag}] - {message}";
        lock (gate)
        {
            ProgressLine.ClearCurrent(console);
            console.WriteLine(colors ? Colored(time, logger, tag, level, message) : plain);
            try
            {
                file?.WriteLine(plain);
            }
            catch (IOException e) when (IO.DiskFull.Is(e))
            {
                // The file is dropped (its unwritten line would fail again on every flush, Dispose's included) and the
                // run stops with one line naming it: the checkpoint and history would not fit either.
                string path = filePath!;
                DropFile();
                throw new IO.DiskFullException(path, e);
            }
        }
    }

    void DropFile()
    {
        try { file?.Dispose(); } catch (IOException) { /* the line that did not fit */ }
        file = null;
    }

    static string Colored(string time, string logger, string tag, LogLevel level, string message)
    {
        const string dim = "\u001b[2m", reset = "\u001b[0m";
        string color = level switch { LogLevel.Debug => "\u001b[34m", LogLevel.Info => "\u001b[32m", LogLevel.Warning => "\u001b[33m", _ => "\u001b[31m" };
        return $"{dim}[{time}]{reset}[\u001b[36m{logger}{reset}][{color}{tag}{reset}] - {message}";
    }

    public void Dispose()
    {
        lock (gate) DropFile();
    }
}
