using System.Diagnostics;
using System.Globalization;
using Loom.Searches;

// Loom's side of bench/search/run.sh:
//   quality SEEDS BUDGET   one JSON line per (sampler, function, seed): the best value after each trial
//   timing N               CPU and wall seconds of N TPE proposals on Hartmann 6-D (the objective's time excluded)
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
    default:
        Console.Error.WriteLine("usage: SearchBench quality SEEDS BUDGET | timing N");
        return 2;
}
return 0;
