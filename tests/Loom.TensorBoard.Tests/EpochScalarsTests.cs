using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.TensorBoard;

namespace Loom.TensorBoard.Tests;

public class EpochScalarsTests
{
    [Fact]
    public void EveryNumericLeafBecomesATagWhateverItsClrType()
    {
        var entry = new JsonObject
        {
            ["epoch"] = 4,
            ["train"] = new JsonObject { ["loss"] = 0.25f, ["accuracy"] = 0.5m, ["note"] = "text", ["ok"] = true },
            ["lr"] = 1e-3,
            ["count"] = 7L,
            ["deep"] = new JsonObject { ["er"] = new JsonObject { ["x"] = 2 } },
            ["list"] = new JsonArray(1, 2),
        };
        Assert.Equal([("train/loss", 0.25), ("train/accuracy", 0.5), ("lr", 1e-3), ("count", 7), ("deep/er/x", 2)], EpochScalars.Of(entry));
    }

    [Fact]
    public void TagsAreTheUnionOverHistoriesFirstSeenFirst()
    {
        var a = new History([new JsonObject { ["train"] = new JsonObject { ["loss"] = 1.0 } }]);
        var b = new History([new JsonObject { ["valid"] = new JsonObject { ["accuracy"] = 0.5 } }, new JsonObject { ["train"] = new JsonObject { ["loss"] = 2.0 } }]);
        Assert.Equal(["train/loss", "valid/accuracy"], EpochScalars.Tags([a, b]));
    }
}
