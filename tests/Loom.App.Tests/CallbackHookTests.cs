using System.Reflection;
using System.Text.Json.Nodes;
using Loom.Logging;
using Loom.Tasks;
using Loom.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.App.Tests;

/// <summary>
/// Every hook of <see cref="ITrainingCallback"/> fires, in order (the list of hooks is read from the interface, so a
/// hook added later without being fired fails here); the callbacks' and the task's state dicts go into the
/// checkpoint and come back on resume; a strategy given to the trainer gets its calls at the documented points.
/// </summary>
[Collection(InProcessApp.Collection)]
public sealed class CallbackHookTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("loom-hooks-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>y = 2x + 1 from 256 points; counts its training batches in its own state.</summary>
    sealed class CountingTask : LoomTask<LineSettings>
    {
        public long TrainedBatches { get; private set; }

        public override TaskData LoadData()
        {
            var x = linspace(-1, 1, Settings.Samples).unsqueeze(1);
            return new TaskData(new Data.InMemoryDataset(x, 2 * x + 1), new Data.InMemoryDataset(x.clone(), 2 * x + 1));
        }

        public override nn.Module CreateModel(TaskData data) => nn.Linear(1, 1);

        public override Tensor Step(nn.Module model, Batch batch, Metrics metrics)
        {
            if (model.training) TrainedBatches++;
            return nn.functional.mse_loss(((nn.Module<Tensor, Tensor>)model).forward(batch.Input), batch.Target);
        }

        public override JsonNode? StateDict() => new JsonObject { ["trained_batches"] = TrainedBatches };
        public override void LoadStateDict(JsonNode state) => TrainedBatches = state["trained_batches"]!.GetValue<long>();
    }

    /// <summary>Records every hook by its own name.</summary>
    sealed class Recorder : ITrainingCallback
    {
        public readonly List<string> Events = [];
        public void FitStarted(FitStart fit) => Events.Add(nameof(FitStarted));
        public JsonNode? StateDict() { Events.Add(nameof(StateDict)); return new JsonObject(); }
        public void LoadStateDict(JsonNode state) => Events.Add(nameof(LoadStateDict));
        public void GradientsReady(IReadOnlyList<Parameter> parameters)
        {
            Assert.All(parameters, p => Assert.NotNull(p.grad)); // the step's gradient is there, before the step
            Events.Add(nameof(GradientsReady));
        }
        public void StepEnded(StepEnd step) => Events.Add(nameof(StepEnded));
        public void EpochEnded(EpochEnd epoch) => Events.Add(nameof(EpochEnded));
        public void FitEnded(FitEnd fit) => Events.Add(nameof(FitEnded));
    }

    /// <summary>Counts the training steps over the whole fit, across resumes (docs/library.md's example of a callback with state).</summary>
    public sealed class StepCounter : ITrainingCallback
    {
        public long Steps { get; private set; }
        public void StepEnded(StepEnd step) => Steps++;
        public JsonNode? StateDict() => new JsonObject { ["steps"] = Steps };
        public void LoadStateDict(JsonNode state) => Steps = state["steps"]!.GetValue<long>();
    }

    /// <summary>The one-process strategy, recording when the trainer calls it.</summary>
    sealed class RecordingStrategy : ITrainingStrategy
    {
        readonly SingleDeviceStrategy inner = new();
        public readonly List<string> Calls = [];
        public void Setup(nn.Module model, IReadOnlyList<Parameter> parameters) => Calls.Add("setup");
        public void ZeroGrad(IReadOnlyList<Parameter> parameters) { Calls.Add("zero"); inner.ZeroGrad(parameters); }
        public void AfterBackward() => Calls.Add("backward");
        public void BeforeOptimizerStep(Span<double> stepFlags) => Calls.Add("step");
        public void BeforeEvaluation(nn.Module model) => Calls.Add("eval");
        public void ReduceMetrics(Span<double> sums) => Calls.Add("reduce");
        public void Dispose() => Calls.Add("dispose");
    }

    Trainer NewTrainer(ITaskDefinition task, ITrainingCallback callback, int epochs, ITrainingStrategy? strategy = null, int accumulate = 1)
    {
        torch.manual_seed(1);
        return new Trainer(task, new TrainerOptions
        {
            XpFolder = folder, Train = new TrainSettings { Epochs = epochs, BatchSize = 128, Progress = "none", Threads = 1 },
            Optim = new OptimSettings { Name = "sgd", Lr = 0.1, Accumulate = accumulate },
            Sink = new LogSink(new StringWriter(), colors: false), Callbacks = [callback], Strategy = strategy,
        });
    }

    static CountingTask NewTask() => (CountingTask)new CountingTask().WithSettings(new LineSettings());

    [Fact]
    public void EveryHookFiresInOrder()
    {
        var first = new Recorder();
        NewTrainer(NewTask(), first, epochs: 1).Run();
        // 256 samples, batch 128: two steps, then the checkpoint (the state dicts), then the epoch's end.
        Assert.Equal(["FitStarted", "GradientsReady", "StepEnded", "GradientsReady", "StepEnded", "StateDict", "EpochEnded", "FitEnded"], first.Events);

        var resumed = new Recorder();
        NewTrainer(NewTask(), resumed, epochs: 2).Run();
        Assert.Equal("LoadStateDict", resumed.Events[0]);
        Assert.Equal("FitStarted", resumed.Events[1]);

        var hooks = typeof(ITrainingCallback).GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => !m.IsSpecialName).Select(m => m.Name);
        Assert.Empty(hooks.Except(first.Events.Concat(resumed.Events)));
    }

    [Fact]
    public void CallbackAndTaskStateAreCheckpointedAndRestoredOnResume()
    {
        NewTrainer(NewTask(), new StepCounter(), epochs: 2).Run();
        var state = Checkpoint()["state"]!;
        Assert.Equal(4, state["callbacks"]![typeof(StepCounter).FullName!]!["steps"]!.GetValue<long>());
        Assert.Equal(4, state["task"]!["trained_batches"]!.GetValue<long>());

        // A new process: fresh objects, their state from the checkpoint, counting on from there.
        var counter = new StepCounter();
        var task = NewTask();
        NewTrainer(task, counter, epochs: 3).Run();
        Assert.Equal(6, counter.Steps);
        Assert.Equal(6, task.TrainedBatches);
        Assert.Equal(6, Checkpoint()["state"]!["task"]!["trained_batches"]!.GetValue<long>());
    }

    [Fact]
    public void AStrategyGivenToTheTrainerIsCalledAtItsPointsAndLeftToItsOwner()
    {
        var strategy = new RecordingStrategy();
        NewTrainer(NewTask(), new Recorder(), epochs: 1, strategy, accumulate: 2).Run();
        // One accumulation group of two batches: one zero, two backward passes, one step (its non-finite-loss flags travel
        // with the gradients, no reduce of their own); the train split's sums, then evaluation and the valid split's sums.
        // The caller's strategy is not disposed by the trainer.
        Assert.Equal(["setup", "zero", "backward", "backward", "step", "reduce", "eval", "reduce"], strategy.Calls);
    }

    JsonNode Checkpoint()
    {
        var sections = IO.SectionFile.Read(Path.Combine(folder, "checkpoint.last"));
        return JsonNode.Parse(sections["meta"])!;
    }
}
