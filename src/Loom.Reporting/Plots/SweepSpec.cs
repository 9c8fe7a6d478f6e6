namespace Loom.Reporting.Plots;

/// <summary>
/// What a sweep figure draws, written as `--metric "train.loss vs model.reparam_lambda per optim"`: the final
/// value of a metric (y) against a numeric hyper-parameter (x), one line per value of another (optional).
/// `loom plot` has one `--metric` option; this small grammar lets it name a sweep without a new flag.
/// </summary>
public sealed record SweepSpec(string Metric, string X, string? Per)
{
    /// <summary>The spec of <paramref name="text"/>, or null when it is a plain metric (curves over epochs).</summary>
    public static SweepSpec? TryParse(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!words.Contains("vs")) return null;
        if (words is [var metric, "vs", var x]) return new SweepSpec(metric, x, null);
        if (words is [var metric2, "vs", var x2, "per", var per]) return new SweepSpec(metric2, x2, per);
        throw new ReportException($"--metric '{text}': expected 'METRIC vs KEY' or 'METRIC vs KEY per KEY' (e.g. 'train.loss vs model.reparam_lambda per optim')");
    }
}
