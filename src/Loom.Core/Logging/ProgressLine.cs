using System.Diagnostics;

namespace Loom.Logging;

/// <summary>
/// Progress of a loop over batches, with rate and ETA. On a terminal it is one line redrawn in place with
/// `\r` (log lines clear it first); otherwise (CI logs, files) it prints a plain line every
/// <see cref="PlainInterval"/> of the work, so logs stay readable. Hand-written because Spectre.Console's
/// live progress owns the console and cannot interleave with the training loop's log lines.
/// </summary>
public sealed class ProgressLine
{
    static readonly object Gate = new();
    static bool lineOpen;

    readonly TextWriter output;
    readonly bool interactive;
    readonly string label;
    readonly int total;
    readonly int samplesPerStep;
    readonly Stopwatch clock = Stopwatch.StartNew();
    TimeSpan lastDraw = TimeSpan.Zero;
    int nextPlainStep;

    public const double PlainInterval = 0.25;

    public ProgressLine(string label, int total, int samplesPerStep, TextWriter? output = null, bool? interactive = null)
    {
        this.output = output ?? Console.Error;
        this.interactive = interactive ?? (output is null && !Console.IsErrorRedirected);
        this.label = label;
        this.total = total;
        this.samplesPerStep = samplesPerStep;
        nextPlainStep = Math.Max(1, (int)(total * PlainInterval));
    }

    /// <summary>Reports that <paramref name="done"/> of the steps are finished; <paramref name="extra"/> is appended (e.g. the running loss).</summary>
    public void Update(int done, Func<string>? extra = null)
    {
        if (interactive)
        {
            if (done < total && clock.Elapsed - lastDraw < TimeSpan.FromMilliseconds(200)) return;
            lastDraw = clock.Elapsed;
            lock (Gate)
            {
                output.Write("\r" + Format(done, extra?.Invoke()) + "\u001b[K");
                lineOpen = true;
            }
        }
        else if (done >= nextPlainStep && done < total)
        {
            nextPlainStep += Math.Max(1, (int)(total * PlainInterval));
            lock (Gate) output.WriteLine(Format(done, extra?.Invoke()));
        }
    }

    public void Finish()
    {
        if (!interactive) return;
        ClearCurrent(output);
    }

    string Format(int done, string? extra)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? done * samplesPerStep / seconds : 0;
        double eta = done > 0 ? seconds * (total - done) / done : double.NaN;
        string etaText = double.IsNaN(eta) ? "?" : TimeSpan.FromSeconds(Math.Round(eta)).ToString(@"m\:ss");
        int percent = total == 0 ? 100 : (int)(100L * done / total);
        return $"{label} {percent,3}% {done}/{total} [{rate:F0} samples/s, eta {etaText}]" + (extra is null ? "" : " " + extra);
    }

    /// <summary>Erases an open progress line so that a log line can take its place.</summary>
    internal static void ClearCurrent(TextWriter output)
    {
        lock (Gate)
        {
            if (!lineOpen) return;
            output.Write("\r\u001b[K");
            lineOpen = false;
        }
    }
}
