using Loom.Reporting.Live;

namespace Loom.Reporting.Commands;

/// <summary>`loom serve GRID | SIG... [--host 127.0.0.1] [--port 8765]`: follow XPs live in a browser until Ctrl-C.</summary>
public static class ServeCommand
{
    public static int Run(string confDir, string outputsRoot, IReadOnlyList<string> gridsOrSigs, string host = "127.0.0.1", int port = 8765, TextWriter? log = null)
    {
        if (port is < 0 or > 65535) throw new ReportException($"--port {port}: expected 0 to 65535");
        return Task.Run(async () =>
        {
            await using var server = new LiveServer(confDir, outputsRoot, gridsOrSigs, host, port);
            try { await server.StartAsync(); }
            catch (IOException e) { throw new ReportException($"--host {host} --port {port}: cannot listen there ({e.Message})"); }
            (log ?? Console.Out).WriteLine($"Serving {string.Join(" ", gridsOrSigs)} at {server.Url}/ (read-only; Ctrl-C stops)");
            await server.WaitForShutdownAsync();
            return 0;
        }).GetAwaiter().GetResult();
    }
}
