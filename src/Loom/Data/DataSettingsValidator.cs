using Loom.Config;

namespace Loom.Data;

/// <summary>Checks the `data` keys that a config's types cannot: ranges and choices, each refused with one line naming the key.</summary>
public static class DataSettingsValidator
{
    public static readonly string[] CorruptChoices = ["stop", "skip"];

    public static void Validate(DataSettings d)
    {
        if (d.Workers < 0) throw new ConfigException($"data.workers={d.Workers}: expected 0 (gather on the training thread) or more");
        if (d.Prefetch < 1) throw new ConfigException($"data.prefetch={d.Prefetch}: expected 1 or more batches");
        if (!CorruptChoices.Contains(d.OnCorrupt))
        {
            var close = EditDistance.Closest(d.OnCorrupt, CorruptChoices);
            throw new ConfigException($"data.on_corrupt={d.OnCorrupt}: expected stop or skip{(close.Count > 0 ? $" (did you mean {close[0]}?)" : "")}");
        }
        if (d.Augment.CropPadding < 0) throw new ConfigException($"data.augment.crop_padding={d.Augment.CropPadding}: expected 0 (off) or more pixels");
        if (d.ImageSize is { } size && (size.Length != 2 || size.Any(v => v <= 0)))
            throw new ConfigException($"data.image_size=[{string.Join(", ", size)}]: expected [height, width], two positive integers, or null");
        if (d.Channels is { } c && c is not (1 or 3)) throw new ConfigException($"data.channels={c}: expected 1 (grayscale), 3 (RGB) or null");
        if (d.TestFraction is <= 0 or >= 1) throw new ConfigException($"data.test_fraction={d.TestFraction}: expected a number in (0, 1)");
    }
}
