using System.Text.RegularExpressions;
using Loom.Config;
using Loom.Tasks;

namespace Loom.Training;

/// <summary>Refuses top-level training settings Loom cannot run with, naming the key; no libtorch needed.</summary>
public static class TrainSettingsValidator
{
    public static void Validate(TrainSettings t, ITaskDefinition task)
    {
        if (t.Epochs < 0) throw new ConfigException($"epochs={t.Epochs}: expected a non-negative integer");
        if (t.BatchSize <= 0) throw new ConfigException($"batch_size={t.BatchSize}: expected a positive integer");
        if (t.Threads <= 0) throw new ConfigException($"threads={t.Threads}: expected a positive integer");
        if (t.Patience < 0) throw new ConfigException($"patience={t.Patience}: expected 0 (off) or a positive integer");
        if (t.Progress is not ("auto" or "bar" or "plain" or "none")) throw new ConfigException($"progress={t.Progress}: expected auto, bar, plain or none");
        var metrics = task.Declarations().Metrics.Select(m => m.Name).ToList();
        if (t.Monitor is { } m)
        {
            var match = Regex.Match(m, @"^(train|valid|test)\.(.+)$");
            if (!match.Success || !metrics.Contains(match.Groups[2].Value))
                throw new ConfigException($"monitor={m}: expected <train|valid|test>.<{string.Join("|", metrics)}>");
        }
        Devices.Check(t.Device);
    }
}
