namespace Loom.TensorBoard;

/// <summary>
/// What a resumed XP keeps of the event files its earlier fits wrote. The checkpoint is the truth, as for
/// history.json: points past it are dropped because the resumed fit computes them again (its numbers may
/// differ from the lost run's), and points up to it are kept once each.
/// - epoch scalars (step = epoch): kept up to the checkpoint's epoch;
/// - step scalars (tags `step/…`, step = global batch index): kept up to the checkpoint's last batch;
/// - the first session start is kept (it holds the XP's start time); session ends are dropped (the XP goes
///   on); file_version headers are dropped (the new file has its own);
/// - a (tag, step) seen twice (a crash between writing a new file and deleting the old ones) is kept once,
///   the last one written.
/// </summary>
public static class ResumeFilter
{
    public const string StepTagPrefix = "step/";

    public static IReadOnlyList<EventRecord> Keep(IEnumerable<EventRecord> records, int resumedEpochs, long resumedSteps)
    {
        var kept = new List<EventRecord>();
        var index = new Dictionary<(string Tag, long Step), int>();
        bool sessionStarted = false;
        foreach (var r in records)
        {
            if (r.Tag is null || r.Tag == HParamsMessages.SessionEndTag) continue;
            if (r.Tag == HParamsMessages.SessionStartTag)
            {
                if (!sessionStarted) kept.Add(r);
                sessionStarted = true;
                continue;
            }
            long bound = r.Tag.StartsWith(StepTagPrefix, StringComparison.Ordinal) ? resumedSteps : resumedEpochs;
            if (r.Step > bound) continue;
            if (index.TryGetValue((r.Tag, r.Step), out int at)) kept[at] = r;
            else
            {
                index[(r.Tag, r.Step)] = kept.Count;
                kept.Add(r);
            }
        }
        return kept;
    }
}
