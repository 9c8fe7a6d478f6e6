using System.Text.RegularExpressions;

namespace Loom.Grids;

/// <summary>
/// A grid search written as code, Dora's explorer: <see cref="Explore"/> receives a launcher and calls it
/// once per XP, with loops and conditions as plain C#. A grid is found by reflection (any non-abstract
/// subclass with a parameterless constructor) and named after its class: `LectureGrid` → `lecture`,
/// `BatchSizeGrid` → `batch_size`.
/// </summary>
public abstract class Grid
{
    public abstract void Explore(Launcher launcher);

    /// <summary>One line for the listing of `loom grid` without a name.</summary>
    public virtual string Description => "";

    /// <summary>The table's metric columns as `split.metric` keys (Dora's `get_grid_metrics`), e.g.
    /// `["train.loss", "valid.perplexity"]`; null shows every `split.metric` found in the histories.</summary>
    public virtual IReadOnlyList<string>? Metrics => null;

    public static string NameOf(Type type)
    {
        string name = type.Name.EndsWith("Grid") && type.Name.Length > 4 ? type.Name[..^4] : type.Name;
        return Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant();
    }
}
