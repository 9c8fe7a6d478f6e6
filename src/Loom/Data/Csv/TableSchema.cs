using Loom.Config;

namespace Loom.Data.Csv;

/// <summary>What a table's columns become, decided from the training file and the `data` keys alone: the target and
/// the task, the feature columns in file order (numeric, or categorical with their categories: one-hot), the classes.</summary>
public sealed record TableSchema(string Target, bool IsRegression, IReadOnlyList<FeatureColumn> Features, string[] Classes)
{
    public const string Classification = "classification", Regression = "regression";

    /// <summary>The width of the model's input: one per numeric column, one per category of each categorical column.</summary>
    public int Width => Features.Sum(f => f.Categories?.Length ?? 1);

    /// <summary>The names of the model's inputs: `column` or `column=category`.</summary>
    public IEnumerable<string> InputNames => Features.SelectMany(f => f.Categories is { } c ? c.Select(v => $"{f.Name}={v}") : [f.Name]);

    public static TableSchema Decide(CsvTable train, DataSettings s)
    {
        string target = s.Target ?? throw new ConfigException("data.target: not set (the column to predict)");
        int targetIndex = train.IndexOf(target, "data.target");
        foreach (var c in s.Drop) train.IndexOf(c, "data.drop");
        foreach (var c in s.Categorical)
        {
            train.IndexOf(c, "data.categorical");
            if (c == target) throw new ConfigException($"data.categorical: '{c}' is data.target (the target is not a feature)");
        }
        var targetValues = train.Rows.Select(r => r[targetIndex]).ToList();
        int missing = targetValues.FindIndex(CsvValues.IsMissing);
        if (missing >= 0)
            throw new ConfigException($"{train.Path}:{train.Lines[missing]}: column {target}: the target is missing ('{targetValues[missing]}'; data.missing never fills the target)");
        bool regression = (s.Task ?? Infer(targetValues)) == Regression;
        if (regression && targetValues.FindIndex(v => !CsvValues.TryNumber(v, out _)) is var bad and >= 0)
            throw new ConfigException($"{train.Path}:{train.Lines[bad]}: column {target}: '{targetValues[bad]}' is not a number (data.task=regression predicts a number)");
        var features = new List<FeatureColumn>();
        for (int i = 0; i < train.Columns.Length; i++)
        {
            string name = train.Columns[i];
            if (i == targetIndex || s.Drop.Contains(name)) continue;
            features.Add(new FeatureColumn(name, s.Categorical.Contains(name)
                ? CsvValues.SortedDistinct(train.Rows.Select(r => r[i]).Where(v => !CsvValues.IsMissing(v)))
                : null));
        }
        if (features.Count == 0) throw new ConfigException($"{train.Path}: no feature column is left besides data.target={target} (and data.drop)");
        return new TableSchema(target, regression, features, regression ? [] : CsvValues.SortedDistinct(targetValues));
    }

    /// <summary>
    /// data.task=null: regression when the target holds a number that is not an integer, classification otherwise
    /// (text, or integers, which are taken as class labels) — scikit-learn's `type_of_target` rule.
    /// </summary>
    public static string Infer(IEnumerable<string> targetValues) =>
        targetValues.All(v => CsvValues.TryNumber(v, out _)) && targetValues.Any(v => CsvValues.TryNumber(v, out var x) && x != Math.Floor(x))
            ? Regression : Classification;
}

/// <summary>A feature column: numeric (<see cref="Categories"/> null) or categorical with its sorted categories.</summary>
public sealed record FeatureColumn(string Name, string[]? Categories);
