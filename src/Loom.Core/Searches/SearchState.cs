using System.Text.Json;
using System.Text.Json.Serialization;
using Loom.IO;

namespace Loom.Searches;

/// <summary>
/// A search's memory, `&lt;outputs&gt;/searches/&lt;name&gt;/state.json`, rewritten atomically after every decision and
/// before the job it implies is submitted: the trials in proposal order, and the numbers of the finished ones
/// in the order they finished (what the sampler's proposals depend on); and, for `loom report`, the objective
/// and the space's axes.
/// </summary>
public sealed class SearchState
{
    public const string FileName = "state.json";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public List<TrialRecord> Trials { get; set; } = [];
    public List<int> Finished { get; set; } = [];

    /// <summary>The objective (`valid.accuracy`); its direction is the trials' metrics.json's. Null in a state written before it was kept.</summary>
    public string? Objective { get; set; }
    public List<SearchAxis> Parameters { get; set; } = [];

    /// <summary>Whether <paramref name="outputsRoot"/> holds a search named <paramref name="name"/>.</summary>
    public static bool Exists(string outputsRoot, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') // a search's name, never a path
        && File.Exists(Path.Combine(Folder(outputsRoot, name), FileName));

    public static string Folder(string outputsRoot, string name) => Path.Combine(outputsRoot, "searches", name);

    public static SearchState Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return new SearchState();
        try { return JsonSerializer.Deserialize<SearchState>(File.ReadAllText(path), Json) ?? new SearchState(); }
        catch (JsonException e) { throw new SearchException($"{path}: not a search state ({e.Message})"); }
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));
    }

    /// <summary>The finished trials in the order they finished, as the sampler must see them.</summary>
    public IReadOnlyList<Trial> FinishedTrials(SearchSpace space) => [.. Finished.Select(n => Trials[n].ToTrial(space))];
}
