using Loom.Optim.Schedules;

namespace Loom.Optim;

/// <summary>The options records of Loom's own specs, whose fields <see cref="Training.OptimSettings"/> and
/// <see cref="Training.ScheduleSettings"/> also carry: what is left of those records is the shared part.</summary>
static class BuiltInOptionTypes
{
    public static readonly Type[] Optimizers = [typeof(SgdOptions), typeof(AdagradOptions), typeof(AdamOptions)];

    public static readonly Type[] Schedules =
        [typeof(ConstantLrOptions), typeof(StepLrOptions), typeof(MultiStepLrOptions), typeof(ExponentialLrOptions), typeof(CosineAnnealingLrOptions), typeof(ReduceLrOnPlateauOptions)];
}
