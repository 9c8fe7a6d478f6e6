using Loom.Searches;

namespace Loom.Grids.Tests;

/// <summary>A real search at test size: 4 trials of a small MLP on 600 samples, successive halving at 1, 2 and 4 epochs.</summary>
public class TinySearch : Search
{
    public override SearchSpace Space => new SearchSpace().Float("optim.lr", 1e-3, 0.3, log: true).Choice("batch_size", 32, 64);
    public override IReadOnlyList<string> Fixed => ["model=mlp", "data.limit=600", "data.valid_fraction=0.2", "threads=1", "progress=none"];
    public override string Objective => "valid.accuracy";
    public override int Trials => 4;
    public override int Parallel => 2;
    public override int Epochs => 4;
    public override ISampler Sampler => new TpeSampler(Seed, startupTrials: 2);
    public override IPruner Pruner => new SuccessiveHalvingPruner(1, Epochs, eta: 2);
}

/// <summary>An objective the task never writes.</summary>
public sealed class MisspelledObjectiveSearch : TinySearch
{
    public override string Objective => "valid.acuracy";
}

/// <summary>A key the config lacks.</summary>
public sealed class MissingKeySearch : TinySearch
{
    public override SearchSpace Space => new SearchSpace().Float("optim.lrr", 1e-3, 0.3, log: true);
}

/// <summary>A reduction factor below 2: refused when the search is read.</summary>
public sealed class SmallEtaSearch : TinySearch
{
    public override IPruner Pruner => new SuccessiveHalvingPruner(1, Epochs, eta: 1);
}

/// <summary>A budget of nothing.</summary>
public sealed class NoTrialsSearch : TinySearch
{
    public override int Trials => 0;
}

/// <summary>The test split never selects a trial (as it never selects a checkpoint).</summary>
public sealed class TestSplitObjectiveSearch : TinySearch
{
    public override string Objective => "test.accuracy";
}

/// <summary>
/// A lower-is-better objective: nothing in the search says so, the task's declaration of `loss` does. Two trials of
/// one epoch, no pruning, one at a time.
/// </summary>
public sealed class LossObjectiveSearch : TinySearch
{
    public override string Objective => "valid.loss";
    public override int Trials => 2;
    public override int Parallel => 1;
    public override int Epochs => 1;
    public override ISampler Sampler => new RandomSampler(Seed);
    public override IPruner Pruner => new NonePruner();
}
