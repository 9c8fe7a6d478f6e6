using Loom.Searches;

namespace LoomApp1.Searches;

/// <summary>
/// `LoomApp1 search lr_search`: AdamW's learning rate and the model's width by TPE, 6 trials of up to 3 short
/// epochs, successive halving at 1 epoch (η = 3); the objective is the validation loss.
/// </summary>
public sealed class LrSearch : Search
{
    public override string Description => "optim.lr in [1e-4, 1e-2] (log) x model.dim {32, 64} by TPE, ASHA 1/3 epochs";

    public override SearchSpace Space => new SearchSpace()
        .Float("optim.lr", 1e-4, 1e-2, log: true)
        .Choice("model.dim", 32, 64);

    public override IReadOnlyList<string> Fixed => ["data.limit=20000", "threads=1"];
    public override string Objective => "valid.loss";
    public override int Trials => 6;
    public override int Parallel => 2;
    public override int Epochs => 3;
    public override ISampler Sampler => new TpeSampler(Seed, startupTrials: 3);
    public override IPruner Pruner => new SuccessiveHalvingPruner(1, Epochs, eta: 3);
}
