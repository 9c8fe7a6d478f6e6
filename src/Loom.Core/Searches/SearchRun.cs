using System.Globalization;
using Loom.Experiments;
using Loom.Grids;
using Loom.Scheduling;

namespace Loom.Searches;

/// <summary>
/// One pass of `loom search`: settle the trials whose job ended (read the objective at the rung's epoch,
/// let the pruner decide: promote, prune or complete), then propose new trials up to the parallelism. Kill-safe
/// order: every decision is saved (<see cref="SearchState"/>) before the job it implies is submitted, and a
/// trial whose saved rung has no job and no history at that epoch is simply submitted again, so a driver killed
/// at any instant and started again neither loses a trial nor runs one twice (the scheduler never gives an XP
/// two active jobs). A promotion resubmits the same XP with a larger <see cref="StopAfterKey"/>; the trainer
/// resumes it from its checkpoint (docs/search.md). <paramref name="direction"/> is the objective's, as the task
/// declares it (<see cref="DirectionExtensions.Of"/>).
/// </summary>
public sealed class SearchRun(string name, Search search, Direction direction, string confDir, string outputsRoot, IScheduler scheduler,
    Func<IReadOnlyList<string>, Xp> compose, TextWriter log)
{
    /// <summary>The epoch after which a trial's job stops: excluded from the signature by `loom.*`.</summary>
    public const string StopAfterKey = "loom.stop_after";

    /// <summary>Resubmissions at one rung before the trial counts as failed: one for the previous rung's finished
    /// job (a driver killed between promoting and submitting), two for killed jobs.</summary>
    const int MaxRetries = 3;

    readonly IReadOnlyList<int> rungs = search.Pruner.Rungs(search.Epochs);
    public string Folder { get; } = SearchState.Folder(outputsRoot, name);
    public IReadOnlyList<int> Rungs => rungs;
    public Direction Direction => direction;

    /// <summary>Settles ended jobs and fills free slots; true when the budget is spent and no trial runs.</summary>
    public bool Step(SearchState state)
    {
        (state.Objective, state.Parameters) = (search.Objective, [.. search.Space.Parameters.Select(SearchAxis.Of)]);
        var jobs = scheduler.Latest(state.Trials.Select(t => t.Sig));
        foreach (var trial in state.Trials.Where(t => t.State == TrialState.Running).ToList())
            Settle(state, trial, jobs.GetValueOrDefault(trial.Sig));
        while (state.Trials.Count(t => t.State == TrialState.Running) < search.Parallel && state.Trials.Count < search.Trials)
        {
            var trial = Propose(state, state.Trials.Count);
            state.Trials.Add(trial);
            state.Save(Folder);
            Submit(trial);
        }
        return state.Trials.Count >= search.Trials && state.Trials.All(t => t.State != TrialState.Running);
    }

    /// <summary>Trial <paramref name="number"/> as the sampler proposes it now; nothing saved or submitted.</summary>
    public TrialRecord Propose(SearchState state, int number)
    {
        var values = search.Sampler.Propose(search.Space, state.FinishedTrials(search.Space), direction, number);
        var trial = new TrialRecord { Number = number, Params = values.ToDictionary(kv => kv.Key, kv => Trial.Format(Readable(kv.Value))) };
        trial.Sig = TrialXp(trial, rungs[0]).Sig;
        return trial;
    }

    /// <summary>Reals with 4 significant digits: readable names and overrides; the sampler sees the same rounded value.</summary>
    static object Readable(object value) => value is double d ? double.Parse(d.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    /// <summary>The overrides of a trial's XP: fixed ones, the full epoch budget, its parameters.</summary>
    public IReadOnlyList<string> Overrides(TrialRecord trial) => OverridesOf(search, trial);

    /// <inheritdoc cref="Overrides"/>
    public static IReadOnlyList<string> OverridesOf(Search search, TrialRecord trial) =>
        [.. search.Fixed, $"epochs={search.Epochs}", .. trial.Params.Select(p => $"{p.Key}={p.Value}")];

    public Xp TrialXp(TrialRecord trial, int stopAfter) =>
        compose([.. Overrides(trial), .. stopAfter < search.Epochs ? [$"++{StopAfterKey}={stopAfter}"] : Array.Empty<string>()]);

    void Settle(SearchState state, TrialRecord trial, JobInfo? job)
    {
        if (job is not null && job.State.IsActive()) return;
        int epochs = rungs[trial.Rung];
        var xp = TrialXp(trial, epochs);
        var history = History.Load(xp.Folder);
        if (history.Count >= epochs)
        {
            double? value = History.Metric(history.Epochs[epochs - 1], search.Objective);
            if (value is not double v) { Finish(state, trial, TrialState.Failed, null, $"{search.Objective} is not in the history of epoch {epochs}"); return; }
            trial.Values[epochs] = v;
            if (trial.Rung == rungs.Count - 1) { Finish(state, trial, TrialState.Complete, v, null); return; }
            var all = state.Trials.Select(t => t.ToTrial(search.Space)).ToList();
            if (search.Pruner.ShouldPrune(all[trial.Number], epochs, all, direction))
            {
                Finish(state, trial, TrialState.Pruned, v, $"pruned at epoch {epochs}");
                return;
            }
            trial.Rung++;
            trial.Retries = 0;
            state.Save(Folder);
            log.WriteLine($"trial {trial.Number} promoted: epochs {epochs} → {rungs[trial.Rung]}");
            Submit(trial);
            return;
        }
        // No result at this rung: never submitted (a killed driver), the previous rung's job, or a job that died.
        // Every resubmission counts, so that a job that keeps ending short (early stopping, a crash) cannot loop.
        if (job is { State: JobState.Failed, Signal: null, ExitCode: int code })
        {
            // The trial itself failed (a diverged loss, a bad combination): running it again gives the same.
            Finish(state, trial, TrialState.Failed, null, $"exit code {code} before epoch {epochs} (see {Path.Combine(xp.Folder, "job.log")})");
            return;
        }
        if (job is not null)
        {
            if (trial.Retries >= MaxRetries) { Finish(state, trial, TrialState.Failed, null, $"job {job.JobId} {job.State} {job.Outcome} before epoch {epochs}".Replace("  ", " ")); return; }
            trial.Retries++;
            state.Save(Folder);
        }
        Submit(trial);
    }

    void Finish(SearchState state, TrialRecord trial, TrialState outcome, double? value, string? reason)
    {
        (trial.State, trial.Value, trial.Reason) = (outcome, value, reason);
        state.Finished.Add(trial.Number);
        state.Save(Folder);
        if (reason is not null) log.WriteLine($"trial {trial.Number}: {reason}");
    }

    void Submit(TrialRecord trial)
    {
        var xp = TrialXp(trial, rungs[trial.Rung]);
        int threads = xp.Config.TryGet<long>("threads", out var t) && t > 0 ? (int)t : 1;
        scheduler.Submit([GridRun.Request(xp, new Resources(Cpus: threads), confDir, outputsRoot)]);
    }

    /// <summary>Cancels the active jobs of the search's trials.</summary>
    public int Cancel(SearchState state)
    {
        var jobs = scheduler.Latest(state.Trials.Select(t => t.Sig)).Values.Where(j => j.State.IsActive()).ToList();
        scheduler.Cancel(jobs.Select(j => j.JobId));
        return jobs.Count;
    }
}
