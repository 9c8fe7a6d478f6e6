using Google.Protobuf;

namespace Loom.TensorBoard;

/// <summary>
/// Builds protobuf messages field by field with Google.Protobuf's <see cref="CodedOutputStream"/>.
/// Why by hand and not classes generated from TensorBoard's .proto files: Loom.Core must not reference
/// TorchSharp (whose public Tensorboard.* classes lack the HParams messages anyway), generating C# would put
/// protoc into every build, and the event files need about fifteen fields. The test reader checks these
/// bytes against classes that protoc generates from the published field numbers.
/// Fields holding their default value (0, "") are left out, as proto3 serializers do.
/// </summary>
sealed class ProtoWriter
{
    readonly MemoryStream buffer = new();
    readonly CodedOutputStream output;

    ProtoWriter() => output = new CodedOutputStream(buffer, leaveOpen: true);

    /// <summary>The bytes of the message that <paramref name="build"/> writes.</summary>
    public static byte[] Message(Action<ProtoWriter> build)
    {
        var writer = new ProtoWriter();
        build(writer);
        writer.output.Flush();
        return writer.buffer.ToArray();
    }

    public ProtoWriter Double(int field, double value)
    {
        if (value == 0) return this;
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteDouble(value);
        return this;
    }

    /// <summary>A float field, written even when zero: it is a member of a oneof (Summary.Value.simple_value).</summary>
    public ProtoWriter FloatAlways(int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
        return this;
    }

    /// <summary>int32, int64 and enum fields share the varint encoding.</summary>
    public ProtoWriter Varint(int field, long value)
    {
        if (value == 0) return this;
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Bool(int field, bool value)
    {
        if (!value) return this;
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteBool(value);
        return this;
    }

    public ProtoWriter String(int field, string value)
    {
        if (value.Length == 0) return this;
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        return this;
    }

    /// <summary>A length-delimited field (bytes or an embedded message), written even when empty: an empty
    /// embedded message still says which member of a oneof is set.</summary>
    public ProtoWriter Bytes(int field, byte[] value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoWriter Message(int field, IMessage message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(message);
        return this;
    }
}
