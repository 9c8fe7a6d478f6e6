using System.Text;
using CsvHelper;
using Loom.Config;

namespace Loom.Data.Csv;

/// <summary>
/// A CSV file as read (CsvHelper, RFC 4180: quoted fields may hold the separator and line breaks): its header's column
/// names and its rows as text, each with the line of the file it starts on, so that every later error can name the
/// file, line and column. Refused with one line naming the file: a missing or empty file, a header without rows, a
/// column named twice, a row with more or fewer fields than the header, broken quoting.
/// </summary>
public sealed record CsvTable(string Path, string[] Columns, List<string[]> Rows, List<long> Lines)
{
    /// <summary>Reads <paramref name="path"/>, named by <paramref name="key"/> (data.train, data.test) in the "no such file" message, with fields split at <paramref name="separator"/>.</summary>
    public static CsvTable Read(string path, string key, char separator)
    {
        if (!File.Exists(path)) throw new ConfigException($"{key}={path}: no such file");
        if (new FileInfo(path).Length == 0) throw new ConfigException($"{path}: empty file (expected a header line, then one row per sample)");
        var options = new CsvReaderOptions
        {
            Separator = separator, HasHeader = true, TrimWhitespace = true, TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw, FieldCountMismatch = CsvFieldCountHandling.Throw, DetectSeparatorHint = false,
        };
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = CsvReader.Create(stream, options);
            var rows = new List<string[]>();
            var lines = new List<long>();
            while (reader.Read())
            {
                var row = new string[reader.FieldCount];
                for (int i = 0; i < row.Length; i++) row[i] = reader.GetString(i);
                rows.Add(row);
                lines.Add(reader.LineNumber);
            }
            var columns = reader.Headers.ToArray();
            if (columns.Length == 0 || columns.All(c => c.Length == 0)) throw new ConfigException($"{path}: empty file (expected a header line, then one row per sample)");
            if (columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } twice) throw new ConfigException($"{path}:1: column '{twice.Key}' appears twice in the header");
            if (columns.FirstOrDefault(c => c.Length == 0) is not null) throw new ConfigException($"{path}:1: column {Array.IndexOf(columns, "") + 1} of the header has no name");
            if (rows.Count == 0) throw new ConfigException($"{path}: a header but no rows");
            return new CsvTable(path, columns, rows, lines);
        }
        catch (CsvFormatException e)
        {
            throw new ConfigException($"{path}:{(e.LineNumber > 0 ? e.LineNumber : e.RecordNumber)}: not a valid CSV row ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})");
        }
        catch (DecoderFallbackException e)
        {
            throw new ConfigException($"{path}: not UTF-8 text ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})");
        }
    }

    /// <summary>The index of <paramref name="column"/>, or a one-line error naming the key, the file and the closest column name.</summary>
    public int IndexOf(string column, string key)
    {
        int i = Array.IndexOf(Columns, column);
        if (i >= 0) return i;
        var close = EditDistance.Closest(column, Columns);
        throw new ConfigException($"{key}={column}: no such column in {Path}{(close.Count > 0 ? $" (did you mean {string.Join(" or ", close)}?)" : "")}; its columns: {string.Join(", ", Columns)}");
    }
}
