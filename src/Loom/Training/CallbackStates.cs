using System.Text.Json.Nodes;

namespace Loom.Training;

/// <summary>The callbacks' own state in a checkpoint: one entry per <see cref="ITrainingCallback.StateKey"/> of a callback that has state.</summary>
static class CallbackStates
{
    /// <summary>The states to write (null when no callback has one, so a checkpoint without them is byte for byte as before).</summary>
    public static JsonObject? Collect(IEnumerable<ITrainingCallback> callbacks)
    {
        JsonObject? states = null;
        foreach (var c in callbacks)
        {
            if (c.StateDict() is not { } state) continue;
            states ??= [];
            if (states.ContainsKey(c.StateKey))
                throw new InvalidOperationException($"two training callbacks have state under the key '{c.StateKey}': give one its own StateKey");
            states[c.StateKey] = state.Parent is null ? state : state.DeepClone();
        }
        return states;
    }

    /// <summary>Hands each callback the state saved under its key (a callback without saved state is left as created).</summary>
    public static void Restore(IEnumerable<ITrainingCallback> callbacks, JsonObject? states)
    {
        if (states is null) return;
        foreach (var c in callbacks)
            if (states[c.StateKey] is { } state) c.LoadStateDict(state.DeepClone());
    }
}
