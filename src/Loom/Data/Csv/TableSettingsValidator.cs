using Loom.Config;

namespace Loom.Data.Csv;

/// <summary>Checks the `data` keys of data=csv that need no file: choices, and no image-only key set (they would be ignored).</summary>
public static class TableSettingsValidator
{
    public static readonly string[] Tasks = [TableSchema.Classification, TableSchema.Regression];
    public static readonly string[] MissingChoices = ["refuse", "mean"];

    public static void Validate(DataSettings d, string model)
    {
        if (d.Train is null) throw new ConfigException("data.train: not set (the training table: data=csv data.train=PATH data.target=COLUMN)");
        if (d.Target is null) throw new ConfigException("data.target: not set (the column to predict: data.target=COLUMN)");
        Choice("data.task", d.Task, Tasks, allowNull: true);
        Choice("data.missing", d.Missing, MissingChoices, allowNull: false);
        if (d.Separator.Length != 1) throw new ConfigException($"data.separator='{d.Separator}': expected one character");
        var image = new DataSettings();
        foreach (var (key, set) in new[]
        {
            ("data.image_size", d.ImageSize is not null), ("data.channels", d.Channels is not null), ("data.on_corrupt", d.OnCorrupt != image.OnCorrupt),
            ("data.augment", d.Augment != image.Augment), ("data.folder", d.Folder is not null),
        })
            if (set) throw new ConfigException($"{key}: not a key of data=csv (a table has no images; see docs/data.md for its keys)");
        if (model != "mlp")
            throw new ConfigException($"model={model}: data=csv is a table, which only model=mlp reads (its default)");
    }

    static void Choice(string key, string? value, string[] choices, bool allowNull)
    {
        if (value is null && allowNull || value is not null && choices.Contains(value)) return;
        var close = value is null ? [] : EditDistance.Closest(value, choices);
        throw new ConfigException($"{key}={value ?? "null"}: expected {string.Join(" or ", choices)}{(allowNull ? " (or null)" : "")}{(close.Count > 0 ? $" (did you mean {close[0]}?)" : "")}");
    }
}
