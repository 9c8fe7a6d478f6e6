using System.Text;
using static TorchSharp.torch;

namespace Loom.Distributed;

/// <summary>
/// Gathers one short text from every rank onto every rank, with the collectives training already has: each rank
/// writes its UTF-8 bytes into its own slot of a zeroed byte buffer and the buffer is summed over ranks. Only one
/// rank writes a slot, so the sum is that rank's bytes exactly (no MPI_Allgather binding needed for a few bytes).
/// </summary>
public static class TextGather
{
    /// <summary>Bytes per rank; a longer text is refused (it would spill into the next rank's slot).</summary>
    public const int SlotBytes = 512;

    public static IReadOnlyList<string> All(ProcessContext process, string mine)
    {
        var bytes = Encoding.UTF8.GetBytes(mine);
        if (bytes.Length > SlotBytes) throw new ArgumentException($"rank {process.Rank}: {bytes.Length} bytes do not fit a {SlotBytes}-byte slot", nameof(mine));
        if (process.Collectives is null) return [mine];
        var buffer = new byte[SlotBytes * process.WorldSize];
        bytes.CopyTo(buffer, SlotBytes * process.Rank);
        using var slots = tensor(buffer, ScalarType.Byte);
        process.Collectives.AllReduceSum(slots);
        var summed = slots.data<byte>().ToArray();
        return Enumerable.Range(0, process.WorldSize)
            .Select(r => Encoding.UTF8.GetString(summed, r * SlotBytes, SlotBytes).TrimEnd('\0'))
            .ToList();
    }
}
