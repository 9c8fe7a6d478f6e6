using Loom.Searches;

namespace Loom.Cli.Searches;

/// <summary>
/// <see cref="LectureSearch"/> at the size of the ASHA-against-full-budget figure in docs/search.md: 27 trials
/// of at most 9 epochs on 10,000 samples (9,000 train, 1,000 valid; the full 10,000 test images), one thread
/// each, two at once, successive halving at 1, 3 and 9 epochs (η = 3). `bench/search/asha-vs-full.sh` runs it
/// and then trains every pruned trial to the full budget.
/// </summary>
public sealed class LectureSearchMedium : LectureSearch
{
    public override string Description => "the lecture search at bench size: 27 trials, 10,000 samples, ASHA 1/3/9 epochs";
    public override int Trials => 27;
    protected override IReadOnlyList<string> Size => ["data.limit=10000", "threads=1"];
}
