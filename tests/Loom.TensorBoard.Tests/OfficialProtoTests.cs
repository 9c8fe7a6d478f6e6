using Loom.TensorBoard;

namespace Loom.TensorBoard.Tests;

/// <summary>
/// A second check of the Event/Summary/Tensor layer with classes generated from TensorBoard's own .proto
/// files: TorchSharp's public `Tensorboard.*` (they have no HParams messages; the Python reader covers those).
/// </summary>
public class OfficialProtoTests
{
    [Fact]
    public void TensorBoardsGeneratedClassesReadLoomsEvents()
    {
        var version = Tensorboard.Event.Parser.ParseFrom(EventMessages.FileVersionEvent(1764140000.25));
        Assert.Equal((1764140000.25, "brain.Event:2"), (version.WallTime, version.FileVersion));

        var scalar = Tensorboard.Event.Parser.ParseFrom(EventMessages.ScalarEvent(1764140001.5, 1L << 33, "valid/accuracy", 0.875));
        Assert.Equal((1764140001.5, 1L << 33), (scalar.WallTime, scalar.Step));
        var value = Assert.Single(scalar.Summary.Value);
        Assert.Equal(("valid/accuracy", 0.875f), (value.Tag, value.SimpleValue));

        var start = Tensorboard.Event.Parser.ParseFrom(HParamsMessages.SessionStartEvent(1764140002, new Dictionary<string, object?> { ["optim.lr"] = 0.1 }, 1764140002));
        var plugin = Assert.Single(start.Summary.Value);
        Assert.Equal(HParamsMessages.SessionStartTag, plugin.Tag);
        Assert.Equal("hparams", plugin.Metadata.PluginData.PluginName);
        Assert.NotEmpty(plugin.Metadata.PluginData.Content);
        Assert.Equal(Tensorboard.DataType.DtFloat, plugin.Tensor.Dtype);
        Assert.Equal([0L], plugin.Tensor.TensorShape.Dim.Select(d => d.Size));
    }
}
