using System.Text.Json.Nodes;
using Loom.Experiments;

namespace Loom.TensorBoard;

/// <summary>
/// The TensorBoard log of one fit of an XP, in `&lt;xp&gt;/tensorboard/`: the HParams session start (the XP's
/// delta) and end, every history scalar per epoch (step = epoch), and the training loss and LR every N
/// batches (tags `step/loss`, `step/lr`, step = global batch index). Each fit writes one new event file.
/// A resumed fit first copies into it what <see cref="ResumeFilter"/> keeps of the earlier files, adds the
/// epoch scalars of checkpointed epochs that are missing (a crash between the checkpoint and the event
/// write), then deletes the earlier files: no point is lost or shown twice.
/// </summary>
public sealed class XpEventLog : IDisposable
{
    public const string LossTag = ResumeFilter.StepTagPrefix + "loss";
    public const string LrTag = ResumeFilter.StepTagPrefix + "lr";

    readonly EventFileWriter writer;
    readonly int everyNSteps;
    double lossSum;
    int lossCount;
    bool ended;

    XpEventLog(EventFileWriter writer, int everyNSteps)
    {
        this.writer = writer;
        this.everyNSteps = everyNSteps;
    }

    /// <summary>The event file this fit writes.</summary>
    public string FilePath => writer.Path;

    /// <param name="folder">`&lt;xp&gt;/tensorboard`.</param>
    /// <param name="everyNSteps">A loss/LR point every this many global batches; 0 or less: epoch points only.</param>
    /// <param name="hparams">The XP's delta.</param>
    /// <param name="resumedEpochs">Epochs in the checkpoint the fit resumes from (0: a fresh start).</param>
    /// <param name="resumedSteps">Global batches those epochs covered.</param>
    /// <param name="history">The history restored from the checkpoint (its first <paramref name="resumedEpochs"/> entries are used).</param>
    public static XpEventLog Open(string folder, int everyNSteps, IReadOnlyDictionary<string, object?> hparams,
        int resumedEpochs, long resumedSteps, History history)
    {
        var previous = EventFileName.InFolder(folder);
        var kept = ResumeFilter.Keep(EventFolder.Read(previous), resumedEpochs, resumedSteps);
        var writer = new EventFileWriter(folder);
        try
        {
            foreach (var r in kept) writer.Write(r.Payload);
            var present = kept.Where(r => r.Tag is not null).Select(r => (r.Tag!, r.Step)).ToHashSet();
            double now = WallClock.Now();
            foreach (var entry in history.Epochs.Take(resumedEpochs).Select((e, i) => (Epoch: i + 1, Entry: e)))
                foreach (var (tag, value) in EpochScalars.Of(entry.Entry))
                    if (!present.Contains((tag, entry.Epoch))) writer.Write(EventMessages.ScalarEvent(now, entry.Epoch, tag, value));
            if (!kept.Any(r => r.Tag == HParamsMessages.SessionStartTag))
                writer.Write(HParamsMessages.SessionStartEvent(now, hparams, now));
            writer.Flush();
            foreach (var old in previous) File.Delete(old);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
        return new XpEventLog(writer, everyNSteps);
    }

    /// <summary>A training batch ended: every N global batches, log the mean loss of the batches since the last point, and the LR.</summary>
    public void Step(long globalStep, double loss, double lr)
    {
        if (everyNSteps <= 0) return;
        lossSum += loss;
        lossCount++;
        if (globalStep % everyNSteps != 0) return;
        double now = WallClock.Now();
        writer.Write(EventMessages.ScalarEvent(now, globalStep, LossTag, lossSum / lossCount));
        writer.Write(EventMessages.ScalarEvent(now, globalStep, LrTag, lr));
        (lossSum, lossCount) = (0, 0);
    }

    /// <summary>An epoch's history entry is written: log its scalars and flush the file to disk.</summary>
    public void Epoch(int epoch, JsonObject entry)
    {
        double now = WallClock.Now();
        foreach (var (tag, value) in EpochScalars.Of(entry)) writer.Write(EventMessages.ScalarEvent(now, epoch, tag, value));
        writer.Flush();
    }

    /// <summary>The fit is over: write the session end (SUCCESS or FAILURE) and close the file.</summary>
    public void End(bool success)
    {
        if (ended) return;
        ended = true;
        double now = WallClock.Now();
        writer.Write(HParamsMessages.SessionEndEvent(now, success ? HParamsMessages.Status.Success : HParamsMessages.Status.Failure, now));
        writer.Dispose();
    }

    /// <summary>Closes the file without a session end (the XP did not finish; a resume picks it up).</summary>
    public void Dispose()
    {
        if (ended) return;
        ended = true;
        writer.Dispose();
    }
}
