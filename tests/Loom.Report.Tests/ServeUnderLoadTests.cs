using System.Diagnostics;

namespace Loom.Report.Tests;

/// <summary>
/// The real `loom serve` under 2,000 requests from scripts/soak_serve.py (the soak's 10,000 in docs/reliability.md):
/// path traversal on every route, malformed requests on raw sockets, other methods. The script exits non-zero on a
/// 5xx (but the 505 HTTP/9.9 must get), on any file from outside the outputs served, on growing memory, or on a
/// server that dies or ignores SIGTERM.
/// </summary>
public sealed class ServeUnderLoadTests
{
    [Fact]
    public async Task TwoThousandHostileRequestsGetNo5xxAndNoFileFromOutsideTheOutputs()
    {
        var info = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(Browser.RepoRoot, "scripts", "soak_serve.py"), "2000"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try { await p.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException("soak_serve.py ran past 5 minutes"); }
        string output = await stdout + await stderr;
        Assert.True(p.ExitCode == 0, output);
        Assert.Contains(" 0 5xx", output);
        Assert.Contains(" 0 leaks", output);
    }
}
