using System.Text.Json;
using System.Threading.Channels;
using Loom.Experiments;
using Loom.Reporting.Html;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Loom.Reporting.Live;

/// <summary>
/// `loom serve`: the report's views, live, over HTTP (ASP.NET Core minimal API, bound to 127.0.0.1 unless told
/// otherwise). `/` is the report page in live mode, `/snapshot` the page's data as JSON (re-read from the XP
/// folders at each request), `/events` Server-Sent Events naming the XPs whose history or job state changed,
/// `/xps/{sig}/history.json` one member's history as the trainer wrote it. Read-only: it never writes to the
/// outputs folder, and serves no file outside the followed XPs' folders.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly HistoryWatcher watcher;
    readonly CancellationTokenSource stop = new();
    readonly List<Channel<string>> clients = [];
    Task? broadcast;

    public string ConfDir { get; }
    public string OutputsRoot { get; }
    public IReadOnlyList<string> Targets { get; }

    /// <summary>The address it listens on, once started (e.g. http://127.0.0.1:8765).</summary>
    public string Url { get; private set; } = "";

    public LiveServer(string confDir, string outputsRoot, IReadOnlyList<string> targets, string host = "127.0.0.1", int port = 8765, TimeSpan? poll = null)
    {
        ConfDir = confDir;
        OutputsRoot = Path.GetFullPath(outputsRoot);
        Targets = targets;
        ReportTargets.Resolve(confDir, OutputsRoot, targets); // a bad target fails before the server starts
        watcher = new HistoryWatcher(OutputsRoot, Sigs, poll ?? TimeSpan.FromSeconds(2));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders(); // the command prints its own one line
        builder.WebHost.UseUrls($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
        app = builder.Build();
        app.MapGet("/", () => Results.Content(HtmlReport.Render(Snapshot()), "text/html; charset=utf-8"));
        app.MapGet("/snapshot", () => Results.Content(Snapshot().ToJson(), "application/json"));
        app.MapGet("/xps/{sig}/history.json", HistoryOf);
        app.MapGet("/events", Events);
    }

    /// <summary>The page's data now: targets re-resolved (a running grid gains folders), histories re-read.</summary>
    public ReportData Snapshot() => ReportData.Read(ConfDir, OutputsRoot, Targets, live: true);

    IReadOnlyList<string> Sigs()
    {
        try { return ReportTargets.Resolve(ConfDir, OutputsRoot, Targets).Select(t => t.Xp.Sig).ToList(); }
        catch (Exception e) when (e is ReportException or Loom.Config.ConfigException) { return []; } // mid-change on disk; the next look sees it whole
    }

    IResult HistoryOf(string sig)
    {
        // Only a followed XP's own history: a name with a path in it, or another folder, is refused.
        if (!ReportTargets.IsSig(sig)) return Results.BadRequest($"'{sig}' is not a signature");
        if (!Sigs().Contains(sig)) return Results.NotFound($"{sig} is not one of the XPs followed here");
        string path = Path.GetFullPath(Path.Combine(OutputsRoot, Xp.XpsFolder, sig, History.FileName));
        if (!path.StartsWith(OutputsRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return Results.BadRequest("outside the outputs folder");
        return File.Exists(path) ? Results.File(File.ReadAllBytes(path), "application/json") : Results.NotFound($"{sig} has no history yet");
    }

    async Task Events(HttpContext context)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var channel = Channel.CreateUnbounded<string>();
        lock (clients) clients.Add(channel);
        try
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stop.Token).Token;
            await context.Response.WriteAsync("event: hello\ndata: {}\n\n", cancel);
            await context.Response.Body.FlushAsync(cancel);
            await foreach (var message in channel.Reader.ReadAllAsync(cancel))
            {
                await context.Response.WriteAsync(message, cancel);
                await context.Response.Body.FlushAsync(cancel);
            }
        }
        catch (OperationCanceledException) { } // the browser left, or the server stops
        finally { lock (clients) clients.Remove(channel); }
    }

    /// <summary>Starts listening and following the histories.</summary>
    public async Task StartAsync()
    {
        await app.StartAsync(stop.Token);
        Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        broadcast = Task.Run(Broadcast);
    }

    async Task Broadcast()
    {
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<string> changed;
            try { changed = await watcher.NextAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            if (changed.Count == 0) continue;
            string message = $"event: changed\ndata: {JsonSerializer.Serialize(changed)}\n\n";
            lock (clients) foreach (var c in clients) c.Writer.TryWrite(message);
        }
    }

    /// <summary>Waits until the process is asked to stop (Ctrl-C, SIGTERM: ASP.NET Core's console lifetime) or <paramref name="cancel"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancel = default) => app.WaitForShutdownAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        if (broadcast is not null) await broadcast;
        await app.StopAsync();
        await app.DisposeAsync();
        watcher.Dispose();
    }
}
