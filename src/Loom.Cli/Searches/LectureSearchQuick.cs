using Loom.Searches;

namespace Loom.Cli.Searches;

/// <summary>
/// <see cref="LectureSearch"/> in minutes on a small machine: 2,000 samples, one thread, 8 trials of at most
/// 4 epochs, successive halving at 1 and 2 epochs (η = 2), TPE after 4 random trials.
/// </summary>
public sealed class LectureSearchQuick : LectureSearch
{
    public override string Description => "the lecture search at test size: 8 trials, 2,000 samples, ASHA 1/2/4 epochs";
    public override int Trials => 8;
    public override int Epochs => 4;
    public override IPruner Pruner => new SuccessiveHalvingPruner(1, Epochs, eta: 2);
    public override ISampler Sampler => new TpeSampler(Seed, startupTrials: 4);
    protected override IReadOnlyList<string> Size => ["data.limit=2000", "threads=1"];
}
