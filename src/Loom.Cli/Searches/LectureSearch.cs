using Loom.Searches;

namespace Loom.Cli.Searches;

/// <summary>
/// The reference task's search: SGD's learning rate, weight decay, momentum and the batch size, by TPE,
/// on the full data with a 10 % validation split, pruned by successive halving (1, 3, 9 epochs of 9).
/// </summary>
public class LectureSearch : Search
{
    public override string Description => "optim.lr, optim.weight_decay, optim.momentum, batch_size by TPE; ASHA 1/3/9 epochs";

    public override SearchSpace Space => new SearchSpace()
        .Float("optim.lr", 1e-3, 1, log: true)
        .Float("optim.weight_decay", 1e-6, 1e-2, log: true)
        .Float("optim.momentum", 0, 0.95)
        .Choice("batch_size", 32, 64, 128, 256);

    public override IReadOnlyList<string> Fixed => ["data.valid_fraction=0.1", .. Size];
    public override string Objective => "valid.accuracy";
    public override int Trials => 30;
    public override int Parallel => 2;
    public override int Epochs => 9;
    public override IPruner Pruner => new SuccessiveHalvingPruner(1, Epochs, eta: 3);

    /// <summary>What the quick variant shrinks.</summary>
    protected virtual IReadOnlyList<string> Size => [];
}
