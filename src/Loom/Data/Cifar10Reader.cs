namespace Loom.Data;

/// <summary>
/// Reads CIFAR-10's binary format (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`): records of
/// 1 label byte followed by 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32×32).
/// </summary>
public static class Cifar10Reader
{
    public const int ImageBytes = 3 * 32 * 32;
    public const int RecordBytes = 1 + ImageBytes;
    public static readonly string[] TrainFiles = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    public static readonly string[] TestFiles = ["test_batch.bin"];

    /// <returns>Pixels (N×3×32×32 bytes, channel-major) and labels (N bytes, each in 0..9).</returns>
    public static (byte[] Pixels, byte[] Labels) Read(IEnumerable<string> paths)
    {
        var pixels = new MemoryStream();
        var labels = new MemoryStream();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new DataException($"{path}: file not found");
            byte[] raw = File.ReadAllBytes(path);
            if (raw.Length == 0 || raw.Length % RecordBytes != 0)
                throw new DataException($"{path}: {raw.Length} bytes is not a whole number of {RecordBytes}-byte CIFAR-10 records (truncated or not CIFAR-10)");
            for (int offset = 0; offset < raw.Length; offset += RecordBytes)
            {
                byte label = raw[offset];
                if (label > 9) throw new DataException($"{path}: record {offset / RecordBytes} has label {label}, expected 0..9");
                labels.WriteByte(label);
                pixels.Write(raw, offset + 1, ImageBytes);
            }
        }
        return (pixels.ToArray(), labels.ToArray());
    }
}
