using Loom.Training;

namespace Loom.Optim;

/// <summary>
/// Refuses invalid settings of Loom's own optimizers and schedules before training starts, with a one-line
/// <see cref="Config.ConfigException"/> naming the key and its value (the same checks as PyTorch's constructors);
/// <see cref="OptimCatalog.Validate"/> does it for a catalogue an app extended.
/// </summary>
public static class OptimSettingsValidator
{
    public static void Validate(OptimSettings o, ScheduleSettings s, int epochs) => OptimCatalog.Default.Validate(o, s, epochs);
}
