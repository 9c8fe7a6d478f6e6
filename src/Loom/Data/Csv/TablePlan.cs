using System.Text.Json.Nodes;
using Loom.Config;

namespace Loom.Data.Csv;

/// <summary>
/// `data=csv` read and decided without libtorch: the training rows in split order (the fitted ones, then the validation
/// ones), the test rows, every input standardized with the fitted rows' mean and std (a missing number first filled with
/// that mean under data.missing=mean), and for regression the target standardized the same way. The statistics are those
/// of the fitted rows only, so validation and test are encoded as unseen data is; <see cref="Encoding"/> records them.
/// </summary>
public sealed record TablePlan(TableSchema Schema, float[] TrainInputs, float[] TrainTargets, long[] TrainLabels, int TrainCount, int ValidCount,
    float[] TestInputs, float[] TestTargets, long[] TestLabels, int TestCount, double[] Mean, double[] Std, double TargetMean, double TargetStd)
{
    public static TablePlan Prepare(DataSettings s)
    {
        char separator = s.Separator.Length == 1 ? s.Separator[0] : throw new ConfigException($"data.separator='{s.Separator}': expected one character");
        var trainTable = CsvTable.Read(s.Train ?? throw new ConfigException("data.train: not set (the training table: data=csv data.train=PATH data.target=COLUMN)"), "data.train", separator);
        var schema = TableSchema.Decide(trainTable, s);
        bool refuse = s.Missing == "refuse";
        var all = TableEncoder.Encode(trainTable, schema, refuse);
        TableEncoder.Encoded test;
        int[] trainRows, testRows;
        if (s.Test is { } testPath)
        {
            test = TableEncoder.Encode(CsvTable.Read(testPath, "data.test", separator), schema, refuse);
            (trainRows, testRows) = (Enumerable.Range(0, all.Count).ToArray(), Enumerable.Range(0, test.Count).ToArray());
        }
        else
        {
            int held = (int)Math.Round(all.Count * s.TestFraction);
            if (held == 0 || held == all.Count)
                throw new ConfigException($"data.test_fraction={s.TestFraction}: leaves {(held == 0 ? "no test" : "no training")} row out of the {all.Count} of {trainTable.Path} (or give data.test)");
            var isTest = SeededShuffle.TestMask(all.Count, held, s.SplitSeed);
            (test, trainRows, testRows) = (all, Enumerable.Range(0, all.Count).Where(i => !isTest[i]).ToArray(), Enumerable.Range(0, all.Count).Where(i => isTest[i]).ToArray());
        }
        trainRows = trainRows[..Math.Min(trainRows.Length, s.Limit ?? int.MaxValue)];
        testRows = testRows[..Math.Min(testRows.Length, s.Limit ?? int.MaxValue)];
        int validCount = (int)Math.Round(trainRows.Length * s.ValidFraction);
        int fitCount = trainRows.Length - validCount;
        if (fitCount <= 0) throw new ConfigException($"data.valid_fraction={s.ValidFraction} leaves no training row out of {trainRows.Length}");
        if (validCount > 0) trainRows = SeededShuffle.Permutation(trainRows.Length, s.SplitSeed).Select(i => trainRows[i]).ToArray(); // fit = the first fitCount

        var (mean, std) = InputStatistics(all, schema, trainRows[..fitCount], trainTable.Path);
        var (targetMean, targetStd) = schema.IsRegression ? MeanStd(trainRows[..fitCount].Select(r => all.Values[r])) : (0, 1);
        return new TablePlan(schema,
            Standardized(all, trainRows, mean, std), schema.IsRegression ? trainRows.Select(r => (float)((all.Values[r] - targetMean) / targetStd)).ToArray() : [],
            schema.IsRegression ? [] : trainRows.Select(r => all.Labels[r]).ToArray(), trainRows.Length, validCount,
            Standardized(test, testRows, mean, std), schema.IsRegression ? testRows.Select(r => (float)((test.Values[r] - targetMean) / targetStd)).ToArray() : [],
            schema.IsRegression ? [] : testRows.Select(r => test.Labels[r]).ToArray(), testRows.Length,
            mean, std, targetMean, targetStd);
    }

    /// <summary>Mean and std of every input over the fitted rows (missing numbers left out); a one-hot input keeps 0 and 1.</summary>
    static (double[] Mean, double[] Std) InputStatistics(TableEncoder.Encoded all, TableSchema schema, int[] fitRows, string path)
    {
        int width = schema.Width;
        var mean = new double[width];
        var std = Enumerable.Repeat(1.0, width).ToArray();
        int offset = 0;
        foreach (var feature in schema.Features)
        {
            if (feature.Categories is { } categories) { offset += categories.Length; continue; }
            int column = offset++;
            var present = fitRows.Select(r => all.Inputs[(long)r * width + column]).Where(double.IsFinite).ToList();
            if (present.Count == 0) throw new ConfigException($"{path}: column {feature.Name}: no value in the training split to take a mean of (data.drop={feature.Name} leaves it out)");
            (mean[column], std[column]) = MeanStd(present);
        }
        return (mean, std);
    }

    /// <summary>The mean and the (population) standard deviation; 1 for a constant column, which then standardizes to 0.</summary>
    static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var list = values.ToList();
        double mean = list.Average();
        double std = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count);
        return (mean, std > 0 ? std : 1);
    }

    static float[] Standardized(TableEncoder.Encoded encoded, int[] rows, double[] mean, double[] std)
    {
        int width = mean.Length;
        var result = new float[(long)rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
            for (int c = 0; c < width; c++)
            {
                double x = encoded.Inputs[(long)rows[i] * width + c];
                result[(long)i * width + c] = double.IsNaN(x) ? 0f : (float)((x - mean[c]) / std[c]); // NaN: filled with the mean
            }
        return result;
    }

    /// <summary>What turns a row into the model's input and its output back into the target: written into every
    /// checkpoint, so that a model is never read with another table's statistics.</summary>
    public JsonObject Encoding() => new()
    {
        ["task"] = Schema.IsRegression ? TableSchema.Regression : TableSchema.Classification,
        ["target"] = Schema.Target,
        ["inputs"] = new JsonArray(Schema.InputNames.Select(n => (JsonNode?)n).ToArray()),
        ["mean"] = new JsonArray(Mean.Select(v => (JsonNode?)v).ToArray()),
        ["std"] = new JsonArray(Std.Select(v => (JsonNode?)v).ToArray()),
        ["classes"] = new JsonArray(Schema.Classes.Select(c => (JsonNode?)c).ToArray()),
        ["target_mean"] = TargetMean,
        ["target_std"] = TargetStd,
    };
}
