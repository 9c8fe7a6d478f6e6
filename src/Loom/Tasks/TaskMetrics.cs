using Loom.Experiments;

namespace Loom.Tasks;

/// <summary>What a task's metrics mean, for the trainer and the XP folder.</summary>
public static class TaskMetrics
{
    /// <summary>Loom's `loss`, then the task's <see cref="ITaskDefinition.DeclaredMetrics"/>.</summary>
    public static MetricDeclarations Declarations(this ITaskDefinition task) => new(task.DeclaredMetrics.Prepend(MetricSpec.Loss));
}
