using System.Globalization;
using Loom.Optim;
using Loom.Optim.Schedules;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Distributed.Ranks;

/// <summary>
/// The trainer's optimizer steps (<see cref="GradientStepper"/> with <see cref="DataParallel"/>) on a small linear model,
/// through collectives that count their calls. One rank's loss is non-finite at one step; the others' are finite.
/// The last rank asks to stop (as Slurm's USR1 does) from one step on. Every rank prints how many collectives the steps
/// made, how the run ended, the steps it left out, the first step whose stop request all ranks agreed on, and its weights.
/// Arguments: nonfinite (stop|skip) steps bad_rank bad_step (1-based) value (nan|inf) stop_step (1-based, 0: never).
/// </summary>
static class StepsScenario
{
    public static int Run(string[] args)
    {
        string mode = args[0];
        int steps = int.Parse(args[1], CultureInfo.InvariantCulture), badRank = int.Parse(args[2], CultureInfo.InvariantCulture);
        int badStep = int.Parse(args[3], CultureInfo.InvariantCulture);
        double bad = args[4] == "nan" ? double.NaN : double.PositiveInfinity;
        int stopStep = int.Parse(args[5], CultureInfo.InvariantCulture);

        var detected = DistributedEnvironment.Detect();
        var counting = new CountingCollectives(detected.Collectives!);
        var process = new ProcessContext(detected.Rank, detected.WorldSize, counting);
        int rank = process.Rank, step = 0;
        bool StopRequested() => rank == process.WorldSize - 1 && stopStep > 0 && step >= stopStep;

        manual_seed(5);
        var model = nn.Linear(4, 3);
        var parameters = model.parameters().ToList();
        var settings = new OptimSettings { Lr = 0.1, Nonfinite = mode, MaxSkips = 10 };
        using var strategy = new DataParallel(process) { LossDividedByWorldSize = true };
        ((ITrainingStrategy)strategy).Setup(model, parameters);
        var stepper = new GradientStepper(OptimizerFactory.Create(settings, parameters), parameters, settings,
            new LrController(new ConstantLr(settings.Lr), new LinearWarmup(0, 1, false)), strategy, stopRequested: StopRequested);
        stepper.BeginEpoch(0, steps);

        counting.Calls = 0; // the steps' collectives only, not the setup's broadcasts
        string outcome = "completed";
        int stopAgreed = 0;
        for (step = 1; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            using var input = full(2, 4, rank + 1.0);
            var loss = model.forward(input).sum() / process.WorldSize;
            try
            {
                stepper.Backward(rank == badRank && step == badStep ? loss * bad : loss);
                if (stopAgreed == 0 && stepper.StopAgreed) stopAgreed = step;
            }
            catch (DivergedException e)
            {
                outcome = $"stopped: {e.Message[..e.Message.IndexOf(" (", StringComparison.Ordinal)]}";
                break;
            }
        }
        Console.WriteLine($"rank {rank} collectives: {counting.Calls}");
        Console.WriteLine($"rank {rank} outcome: {outcome}");
        Console.WriteLine($"rank {rank} skipped: {stepper.SkippedSteps}");
        Console.WriteLine($"rank {rank} stop agreed at: {stopAgreed}");
        using var flat = cat(parameters.Select(p => p.detach().flatten()).ToList()).to_type(ScalarType.Float64);
        Console.WriteLine($"rank {rank} weights: {string.Join(",", flat.data<double>().ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");
        counting.Dispose();
        return 0;
    }
}
