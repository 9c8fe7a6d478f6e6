using Google.Protobuf;

namespace Loom.TensorBoard;

/// <summary>
/// One record of an event file, decoded just enough to decide what a resumed XP keeps: its wall time, step,
/// the tag and scalar of its (first) summary value. <see cref="Payload"/> is the untouched serialized event.
/// </summary>
public sealed record EventRecord(double WallTime, long Step, string? Tag, float? Scalar, byte[] Payload)
{
    /// <summary>Decodes a serialized `tensorboard.Event`; unknown fields are skipped.</summary>
    public static EventRecord Parse(byte[] payload)
    {
        double wallTime = 0;
        long step = 0;
        string? tag = null;
        float? scalar = null;
        var input = new CodedInputStream(payload);
        for (uint t; (t = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(t))
            {
                case 1 when WireFormat.GetTagWireType(t) == WireFormat.WireType.Fixed64: wallTime = input.ReadDouble(); break;
                case 2 when WireFormat.GetTagWireType(t) == WireFormat.WireType.Varint: step = input.ReadInt64(); break;
                case 5 when WireFormat.GetTagWireType(t) == WireFormat.WireType.LengthDelimited:
                    (tag, scalar) = FirstValue(input.ReadBytes().ToByteArray()); break;
                default: input.SkipLastField(); break;
            }
        }
        return new EventRecord(wallTime, step, tag, scalar, payload);
    }

    // Summary { repeated Value value = 1 }, Value { string tag = 1; float simple_value = 2; ... }
    static (string? Tag, float? Scalar) FirstValue(byte[] summary)
    {
        var input = new CodedInputStream(summary);
        for (uint t; (t = input.ReadTag()) != 0;)
        {
            if (WireFormat.GetTagFieldNumber(t) != 1 || WireFormat.GetTagWireType(t) != WireFormat.WireType.LengthDelimited)
            {
                input.SkipLastField();
                continue;
            }
            var value = new CodedInputStream(input.ReadBytes().ToByteArray());
            string? tag = null;
            float? scalar = null;
            for (uint v; (v = value.ReadTag()) != 0;)
            {
                if (v == WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited)) tag = value.ReadString();
                else if (v == WireFormat.MakeTag(2, WireFormat.WireType.Fixed32)) scalar = value.ReadFloat();
                else value.SkipLastField();
            }
            return (tag, scalar);
        }
        return (null, null);
    }
}
