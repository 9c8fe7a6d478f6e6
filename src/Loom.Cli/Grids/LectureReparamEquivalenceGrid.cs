using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's claim 1, the equation itself: SGD on G(y) = F(λ·y) with lr γ is SGD on F with lr γλ². Four XPs
/// with the same γλ² = 0.1: (λ, γ) = (1, 0.1), (10, 0.001), (4, 0.00625), (0.5, 0.4). Their loss curves agree;
/// with λ a power of two every product is exact in floating point and the histories are bit for bit the same.
/// </summary>
public sealed class LectureReparamEquivalenceGrid : Grid
{
    public override string Description => "claim 1: SGD with (lambda, lr) vs (1, lr*lambda^2), 4 MLP XPs (seconds)";

    public override IReadOnlyList<string>? Metrics => ["train.loss", "test.loss"];

    public override void Explore(Launcher launcher)
    {
        // No model is selected (the curves are compared epoch by epoch), so nothing is held out: the 2,000 samples as measured.
        launcher.Bind_("model=mlp", "optim=sgd", "optim.weight_decay=0", "data.limit=2000", "data.valid_fraction=0", "epochs=3", "threads=1", "progress=plain");
        launcher.Launch("model.reparam_lambda=1", "optim.lr=0.1");
        launcher.Launch("model.reparam_lambda=10", "optim.lr=0.001");
        launcher.Launch("model.reparam_lambda=4", "optim.lr=0.00625");
        launcher.Launch("model.reparam_lambda=0.5", "optim.lr=0.4");
    }
}
