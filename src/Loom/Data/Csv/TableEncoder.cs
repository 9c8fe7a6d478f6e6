using Loom.Config;

namespace Loom.Data.Csv;

/// <summary>
/// A table's rows as the numbers of <see cref="TableSchema"/>: numeric columns as parsed (NaN where missing, filled
/// later from the training split), categorical columns one-hot (all zeros where missing), the target as a class
/// index or a number. Each refusal is one line naming the file, line, column and value.
/// </summary>
public static class TableEncoder
{
    public sealed record Encoded(double[] Inputs, long[] Labels, double[] Values, int Count);

    public static Encoded Encode(CsvTable table, TableSchema schema, bool refuseMissing)
    {
        int n = table.Rows.Count, width = schema.Width;
        var inputs = new double[(long)n * width];
        var labels = schema.IsRegression ? [] : new long[n];
        var values = schema.IsRegression ? new double[n] : [];
        int targetIndex = ColumnOf(table, schema.Target);
        var columnIndex = schema.Features.Select(f => ColumnOf(table, f.Name)).ToArray();
        var classIndex = schema.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
        var categoryIndex = schema.Features.Select(f => f.Categories?.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i)).ToArray();
        for (int r = 0; r < n; r++)
        {
            var row = table.Rows[r];
            string Where(int column) => $"{table.Path}:{table.Lines[r]}: column {table.Columns[column]}";
            int offset = r * width;
            for (int f = 0; f < columnIndex.Length; f++)
            {
                string field = row[columnIndex[f]];
                var feature = schema.Features[f];
                bool missing = CsvValues.IsMissing(field);
                if (missing && refuseMissing)
                    throw new ConfigException($"{Where(columnIndex[f])}: missing value ('{field}'; data.missing=mean fills numbers with the training split's mean)");
                if (categoryIndex[f] is { } categories)
                {
                    if (!missing && !categories.TryGetValue(field, out int k))
                        throw new ConfigException($"{Where(columnIndex[f])}: '{field}' is not a category of the training file (categories: {string.Join(", ", feature.Categories!)})");
                    if (!missing) inputs[offset + categories[field]] = 1;
                    offset += feature.Categories!.Length;
                    continue;
                }
                if (missing) inputs[offset] = double.NaN;
                else if (CsvValues.TryNumber(field, out var x)) inputs[offset] = x;
                else throw new ConfigException($"{Where(columnIndex[f])}: '{field}' is not a number (list text columns in data.categorical, or leave them out with data.drop)");
                offset++;
            }
            string target = row[targetIndex];
            if (CsvValues.IsMissing(target))
                throw new ConfigException($"{Where(targetIndex)}: the target is missing ('{target}'; data.missing never fills the target)");
            if (schema.IsRegression)
                values[r] = CsvValues.TryNumber(target, out var y) ? y
                    : throw new ConfigException($"{Where(targetIndex)}: '{target}' is not a number (data.task=regression predicts a number)");
            else
                labels[r] = classIndex.TryGetValue(target, out var label) ? label
                    : throw new ConfigException($"{Where(targetIndex)}: '{target}' is not a class of the training file (classes: {string.Join(", ", schema.Classes)})");
        }
        return new Encoded(inputs, labels, values, n);
    }

    static int ColumnOf(CsvTable table, string name)
    {
        int i = Array.IndexOf(table.Columns, name);
        return i >= 0 ? i : throw new ConfigException($"{table.Path}:1: no column '{name}' (the training file has it; its columns: {string.Join(", ", table.Columns)})");
    }
}
