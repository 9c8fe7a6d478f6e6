using Loom.Reporting;

namespace Loom.Lecture.Tests;

/// <summary>
/// Claim 5 (Loshchilov &amp; Hutter): the same weight decay value through Adam's L2 term and AdamW's decoupled decay
/// are different regularizers: at 0.1, Adam's L2 term dominates the normalized step and the training loss
/// stalls, while AdamW's decay (lr × 0.1 per step) leaves training nearly as it is at 1e-3.
/// </summary>
public sealed class AdamwClaimTests
{
    [Fact]
    public void AdamsL2TermHurtsWhereAdamwsDecoupledDecayDoesNot()
    {
        using var loom = new LoomRun();
        var data = loom.Grid("lecture_adamw_quick");
        double Loss(string optim, double decay) => data.Xps.Single(x => (string?)x.Params["optim"] == optim && (double?)x.Params["optim.weight_decay"] == decay)
            .Final["train.loss"]!.Value;
        Assert.True(Loss("adam", 0.1) > 1.3 * Loss("adam", 1e-3), $"Adam L2: wd 0.1 → {Loss("adam", 0.1):F3}, wd 1e-3 → {Loss("adam", 1e-3):F3}");
        Assert.True(Loss("adamw", 0.1) < 1.1 * Loss("adamw", 1e-3), $"AdamW: wd 0.1 → {Loss("adamw", 0.1):F3}, wd 1e-3 → {Loss("adamw", 1e-3):F3}");
    }
}
