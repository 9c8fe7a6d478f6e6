namespace Loom.TensorBoard;

/// <summary>
/// The serialized `tensorboard.Event` messages Loom writes (tensorboard/compat/proto/event.proto and
/// summary.proto): the file_version header, a scalar, and a plugin summary such as the HParams records.
/// </summary>
public static class EventMessages
{
    /// <summary>What TensorBoard's own writers put in the first record of every file.</summary>
    public const string FileVersion = "brain.Event:2";

    // Event
    const int WallTimeField = 1, StepField = 2, FileVersionField = 3, SummaryField = 5;
    // Summary and Summary.Value
    const int SummaryValueField = 1, TagField = 1, SimpleValueField = 2, TensorField = 8, MetadataField = 9;
    // SummaryMetadata and SummaryMetadata.PluginData
    const int PluginDataField = 1, PluginNameField = 1, PluginContentField = 2;
    // TensorProto: dtype DT_FLOAT = 1, tensor_shape { dim { size: 0 } }
    const int DtypeField = 1, TensorShapeField = 2, DimField = 2;

    public static byte[] FileVersionEvent(double wallTime) => ProtoWriter.Message(e => e
        .Double(WallTimeField, wallTime)
        .String(FileVersionField, FileVersion));

    /// <summary>A scalar as `simple_value`, which every TensorBoard version reads (a float: 7 significant digits).</summary>
    public static byte[] ScalarEvent(double wallTime, long step, string tag, double value) =>
        SummaryEvent(wallTime, step, ProtoWriter.Message(v => v
            .String(TagField, tag)
            .FloatAlways(SimpleValueField, (float)value)));

    /// <summary>
    /// A summary value that carries a plugin's data in its metadata, with the empty float tensor as value,
    /// the way tensorboard/plugins/hparams/summary_v2.py writes its records.
    /// </summary>
    public static byte[] PluginEvent(double wallTime, long step, string tag, string pluginName, byte[] content)
    {
        var pluginData = ProtoWriter.Message(p => p.String(PluginNameField, pluginName).Bytes(PluginContentField, content));
        var metadata = ProtoWriter.Message(m => m.Bytes(PluginDataField, pluginData));
        var emptyFloatTensor = ProtoWriter.Message(t => t
            .Varint(DtypeField, 1)
            .Bytes(TensorShapeField, ProtoWriter.Message(s => s.Bytes(DimField, []))));
        return SummaryEvent(wallTime, step, ProtoWriter.Message(v => v
            .String(TagField, tag)
            .Bytes(TensorField, emptyFloatTensor)
            .Bytes(MetadataField, metadata)));
    }

    static byte[] SummaryEvent(double wallTime, long step, byte[] value) => ProtoWriter.Message(e => e
        .Double(WallTimeField, wallTime)
        .Varint(StepField, step)
        .Bytes(SummaryField, ProtoWriter.Message(s => s.Bytes(SummaryValueField, value))));
}
