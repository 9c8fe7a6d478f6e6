using System.Text;
using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.IO;
using static TorchSharp.torch;

namespace Loom.Training;

/// <summary>
/// Everything a run needs to continue exactly where it stopped, as checkpoint sections: model and optimizer
/// state (TorchSharp's own formats), the global RNG state (dropout), the history (which also gives the
/// epoch and the early-stopping state), and the resolved config for reference.
/// Batch order needs no state: it is a function of (seed, epoch).
/// </summary>
public static class TrainingSnapshot
{
    /// <summary>
    /// The snapshot's sections. Model and optimizer stream from their tensors when the file is written, so they hold
    /// the state at that moment: write the sections before the next step (the RNG, history and meta are taken now).
    /// </summary>
    public static List<Section> Sections(nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, History history, string configYaml, JsonObject? extraState = null)
    {
        byte[] rng;
        using (var state = get_rng_state()) rng = state.data<byte>().ToArray();
        var meta = new JsonObject { ["epoch"] = history.Count, ["state"] = extraState?.DeepClone() ?? new JsonObject() };
        return
        [
            Section.FromBytes("meta", Encoding.UTF8.GetBytes(meta.ToJsonString())),
            Section.FromBytes("history", Encoding.UTF8.GetBytes(history.ToJson())),
            Section.FromBytes("config", Encoding.UTF8.GetBytes(configYaml)),
            new("model", stream => { using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true); model.save(writer); }),
            new("optimizer", stream => { using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true); optimizer.save_state_dict(writer); }),
            Section.FromBytes("rng", rng),
        ];
    }

    /// <summary>Loads a snapshot into the model and optimizer and sets the RNG; returns the history and the extra state.</summary>
    public static (History History, JsonObject State) Restore(IReadOnlyDictionary<string, ArraySegment<byte>> sections, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, string source)
    {
        foreach (var name in new[] { "meta", "history", "model", "optimizer", "rng" })
            if (!sections.ContainsKey(name)) throw new CheckpointException($"{source}: checkpoint has no '{name}' section");
        try
        {
            using (var reader = new BinaryReader(Stream(sections["model"]))) model.load(reader);
            using (var reader = new BinaryReader(Stream(sections["optimizer"]))) optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            // TorchSharp refuses another model's weights with ArgumentException, its native errors or a short read:
            // whatever the type, it means the file was made for another network (copied from another XP?).
            throw new CheckpointException($"{source}: does not fit this XP's model or optimizer (copied from another XP?): {e.Message.ReplaceLineEndings(" ")} (use restart=true to start over, or remove the file)");
        }
        using (var state = tensor(sections["rng"].ToArray(), dtype: ScalarType.Byte)) set_rng_state(state);
        var history = History.FromJson(Encoding.UTF8.GetString(sections["history"]), source);
        var meta = JsonNode.Parse(sections["meta"]) as JsonObject ?? throw new CheckpointException($"{source}: bad meta section");
        return (history, meta["state"] as JsonObject ?? new JsonObject());
    }

    static MemoryStream Stream(ArraySegment<byte> bytes) => new(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
}
