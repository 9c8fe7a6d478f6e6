using System.Net;
using System.Text.Json;
using Loom.Experiments;
using Loom.Reporting;
using Loom.Reporting.Commands;
using Loom.Reporting.Live;

namespace Loom.Report.Tests;

/// <summary>`loom serve`: snapshot, events, refusals, read-only, and a page that follows a new epoch in Chromium.</summary>
public sealed class LiveServerTests : IAsyncLifetime
{
    readonly XpFixture fx = new();
    Xp a = null!, b = null!;
    LiveServer server = null!;
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        a = fx.AddXp(["optim.lr=0.01"], 2);
        b = fx.AddXp(["optim.lr=0.5"], 2);
        fx.SaveGrid("demo", [a, b]);
        server = new LiveServer(fx.Conf, fx.Outputs, ["demo"], port: 0, poll: TimeSpan.FromMilliseconds(500));
        await server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
        fx.Dispose();
    }

    /// <summary>What the trainer does at the end of an epoch: rewrite history.json atomically with one more entry.</summary>
    void AddEpoch(Xp xp)
    {
        var history = History.Load(xp.Folder);
        history.Add(XpFixture.Epoch(history.Count + 1, 0.01, 42));
        history.Save(xp.Folder);
    }

    [Fact]
    public async Task The_snapshot_is_the_report_data_read_again_at_each_request()
    {
        using var first = JsonDocument.Parse(await http.GetStringAsync(server.Url + "/snapshot"));
        Assert.True(first.RootElement.GetProperty("live").GetBoolean());
        Assert.Equal(2, first.RootElement.GetProperty("xps")[0].GetProperty("epochs").GetArrayLength());
        AddEpoch(a);
        using var second = JsonDocument.Parse(await http.GetStringAsync(server.Url + "/snapshot"));
        Assert.Equal(3, second.RootElement.GetProperty("xps")[0].GetProperty("epochs").GetArrayLength());
        string page = await http.GetStringAsync(server.Url + "/");
        Assert.Contains("\"live\":true", page);
    }

    [Fact]
    public async Task Events_name_the_xp_whose_history_changed()
    {
        using var stream = await http.GetStreamAsync(server.Url + "/events");
        using var reader = new StreamReader(stream);
        Assert.Equal("event: hello", await reader.ReadLineAsync());
        AddEpoch(b);
        string? line;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((line = await reader.ReadLineAsync(timeout.Token)) != "event: changed") Assert.NotNull(line);
        Assert.Equal($"data: [\"{b.Sig}\"]", await reader.ReadLineAsync(timeout.Token));
    }

    [Theory]
    [InlineData("/xps/..%2F..%2Fetc/history.json", HttpStatusCode.BadRequest)]
    [InlineData("/xps/..%2Fgrids/history.json", HttpStatusCode.BadRequest)]
    [InlineData("/xps/deadbeef/history.json", HttpStatusCode.NotFound)]
    public async Task Paths_outside_the_followed_xps_are_refused(string path, HttpStatusCode expected)
    {
        using var response = await http.GetAsync(server.Url + path);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_member_s_history_is_served_as_written_and_nothing_is_written()
    {
        var before = Listing();
        string served = await http.GetStringAsync($"{server.Url}/xps/{a.Sig}/history.json");
        Assert.Equal(File.ReadAllText(Path.Combine(a.Folder, History.FileName)), served);
        await http.GetStringAsync(server.Url + "/");
        await http.GetStringAsync(server.Url + "/snapshot");
        Assert.Equal(before, Listing());
    }

    [Fact]
    public void The_page_draws_a_new_epoch_without_reloading_and_keeps_the_brush()
    {
        var (code, output) = Browser.NodeWithCue("drive-live.mjs", [server.Url + "/"], () => AddEpoch(a), TimeSpan.FromMinutes(2));

        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = doc.RootElement;
        Assert.Empty(r.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, r.GetProperty("pointsBefore").GetInt32());
        Assert.Equal(3, r.GetProperty("pointsAfter").GetInt32());
        Assert.True(r.GetProperty("notReloaded").GetBoolean());
        Assert.Equal(1, r.GetProperty("loads").GetInt32());
        Assert.Equal(1, r.GetProperty("rowsBrushed").GetInt32()); // of 2: the brush kept the better XP
        Assert.Equal(1, r.GetProperty("rowsAfterUpdate").GetInt32()); // and still does after the update
    }

    [Fact]
    public void A_port_in_use_is_one_error_naming_it()
    {
        int port = new Uri(server.Url).Port;
        var e = Assert.Throws<ReportException>(() => ServeCommand.Run(fx.Conf, fx.Outputs, ["demo"], port: port, log: TextWriter.Null));
        Assert.Contains($"--port {port}", e.Message);
    }

    /// <summary>Every file under the outputs folder with its size and time.</summary>
    string Listing() => string.Join("\n", Directory.EnumerateFiles(fx.Outputs, "*", SearchOption.AllDirectories).Order()
        .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}"));
}
