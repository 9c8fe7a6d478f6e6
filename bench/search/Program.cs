using System.Diagnostics;
using System.Globalization;
using Loom.Searches;

// Loom's side of bench/search/run.sh:
//   quality SEEDS BUDGET   one JSON line per (sampler, function, seed): the best value after each trial
//   timing N               CPU and wall seconds of N TPE proposals on Hartmann 6-D (the objective's time excluded)
//   proposals N            every TPE proposal, round-trip digits, on Hartmann 6-D (N trials) and on a mixed space
//                          (log real, integers, log integer, choice, conditional; N / 4 trials): diff two builds' outputs
//                          to show that a change to the sampler leaves its proposals as they were
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

static SearchSpace SpaceOf(Functions.Function f)
{
    var space = new SearchSpace();
    for (int i = 0; i < f.Box.Length; i++) space.Float($"x{i}", f.Box[i].Low, f.Box[i].High);
    return space;
}

static double Evaluate(Functions.Function f, Trial t) => f.F([.. Enumerable.Range(0, f.Box.Length).Select(i => t.Float($"x{i}"))]);

switch (args)
{
    case ["quality", var seedsText, var budgetText]:
    {
        int seeds = int.Parse(seedsText), budget = int.Parse(budgetText);
        foreach (var f in Functions.All)
            foreach (var (name, make) in new (string, Func<int, ISampler>)[] { ("loom-tpe", s => new TpeSampler(s)), ("random", s => new RandomSampler(s)) })
                for (int seed = 0; seed < seeds; seed++)
                {
                    var study = new Study(SpaceOf(f), make(seed));
                    double best = double.PositiveInfinity;
                    var curve = new List<double>();
                    study.Optimize(t => { double v = Evaluate(f, t); best = Math.Min(best, v); curve.Add(best); return v; }, budget);
                    Console.WriteLine($"{{\"sampler\": \"{name}\", \"function\": \"{f.Name}\", \"seed\": {seed}, \"best\": [{string.Join(", ", curve.Select(v => v.ToString("R")))}]}}");
                }
        break;
    }
    case ["timing", var nText]:
    {
        int n = int.Parse(nText);
        var f = Functions.All[1];
        var study = new Study(SpaceOf(f), new TpeSampler(0));
        // Process CPU time (JIT and GC threads included), not wall time: the machine is shared and loaded.
        var proc = Process.GetCurrentProcess();
        var clock = new Stopwatch();
        var cpu = TimeSpan.Zero;
        for (int i = 0; i < n; i++)
        {
            proc.Refresh();
            var before = proc.TotalProcessorTime;
            clock.Start();
            var trial = study.Ask();
            clock.Stop();
            proc.Refresh();
            cpu += proc.TotalProcessorTime - before;
            double v = Evaluate(f, trial);
            study.Tell(trial, TrialState.Complete, v);
        }
        Console.WriteLine($"{cpu.TotalSeconds:R} {clock.Elapsed.TotalSeconds:R}");
        break;
    }
    case ["proposals", var nText]:
    {
        int n = int.Parse(nText);
        var hartmann = Functions.All[1];
        var study = new Study(SpaceOf(hartmann), new TpeSampler(0));
        study.Optimize(t => Evaluate(hartmann, t), n);
        var mixed = new SearchSpace()
            .Float("lr", 1e-5, 1, log: true).Int("depth", 1, 12).Int("width", 8, 1024, log: true)
            .Choice("optim", "sgd", "adam", "adamw").Float("momentum", 0, 0.99, when: new("optim", "sgd"));
        var second = new Study(mixed, new TpeSampler(1, startupTrials: 5));
        second.Optimize(t => Math.Pow(Math.Log10(t.Float("lr")) + 2.5, 2) + Math.Abs(t.Int("depth") - 7) + Math.Abs(Math.Log2(t.Int("width")) - 6)
            + (t.Text("optim") == "adam" ? 0 : 1) + (t.Has("momentum") ? Math.Abs(t.Float("momentum") - 0.9) : 0), Math.Max(1, n / 4));
        foreach (var t in study.Trials.Concat(second.Trials)) Console.WriteLine(t);
        break;
    }
    default:
        Console.Error.WriteLine("usage: SearchBench quality SEEDS BUDGET | timing N | proposals N");
        return 2;
}
return 0;
