using Loom.Data.Loading;
using Loom.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace LoomApp1;

/// <summary>
/// A text as one tensor of character ids, cut into non-overlapping windows of seq_len + 1 characters: a
/// sample's input is the first seq_len, its target the same shifted by one (next-character prediction).
/// </summary>
public sealed class TextWindows(Tensor ids, int seqLen) : IDataset
{
    readonly Tensor offsets = arange(seqLen + 1, dtype: ScalarType.Int64);

    public int Count { get; } = (int)((ids.shape[0] - 1) / seqLen);

    public Batch Gather(Tensor indices)
    {
        using var starts = indices.unsqueeze(1) * seqLen;
        using var positions = starts + offsets;
        using var windows = ids[positions];
        return new Batch(windows[.., ..^1].contiguous(), windows[.., 1..].contiguous());
    }

    public Batch Slice(int start, int length)
    {
        using var indices = arange(start, start + length, dtype: ScalarType.Int64);
        return Gather(indices);
    }

    public void Dispose()
    {
        ids.Dispose();
        offsets.Dispose();
    }
}

/// <summary>Reads the text, builds the vocabulary (its distinct characters) and the train/valid splits.</summary>
public static class TextData
{
    public static (TaskData Data, string Vocabulary) Load(TextSettings s)
    {
        if (!File.Exists(s.Path)) throw new Loom.Data.DataException($"data.path={s.Path}: no such file");
        string text = File.ReadAllText(s.Path);
        if (s.Limit is int limit && limit < text.Length) text = text[..limit];
        string vocabulary = new(text.Distinct().Order().ToArray());
        var index = vocabulary.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
        long[] all = text.Select(c => index[c]).ToArray();
        int validLength = (int)(all.Length * s.ValidFraction);
        int trainLength = all.Length - validLength;
        if (trainLength < 2 * (s.SeqLen + 1) || (validLength > 0 && validLength < s.SeqLen + 1))
            throw new Loom.Data.DataException($"data.path={s.Path}: {all.Length} characters are too few for data.seq_len={s.SeqLen} and data.valid_fraction={s.ValidFraction}");
        var train = new TextWindows(tensor(all[..trainLength]), s.SeqLen);
        var valid = validLength > 0 ? new TextWindows(tensor(all[trainLength..]), s.SeqLen) : null;
        // Any IDataset gets Loom's background loader: its batches are gathered ahead on data.workers threads, in order.
        return (new TaskData(train, valid) { Loader = new BatchLoader(s.Workers, s.Prefetch) }, vocabulary);
    }
}
