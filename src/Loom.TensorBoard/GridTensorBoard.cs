using Loom.Experiments;

namespace Loom.TensorBoard;

/// <summary>
/// The TensorBoard folder of a grid, `&lt;outputs&gt;/grids/&lt;name&gt;/tensorboard/`: one session per XP (named by
/// its signature, with its delta as hyper-parameters) and the metric tags found in the XPs' history.json.
/// `tensorboard --logdir` on it shows the grid in the HPARAMS tab. Run it again once XPs have finished an
/// epoch: the metrics an experiment summary lists are the ones TensorBoard shows.
/// </summary>
public static class GridTensorBoard
{
    public static string FolderOf(string outputsRoot, string gridName) => Path.Combine(outputsRoot, "grids", gridName, TensorBoardOptions.FolderName);

    /// <summary>Writes or refreshes the grid's folder; returns it.</summary>
    public static string Write(string outputsRoot, string gridName, IEnumerable<Xp> xps)
    {
        var list = xps.ToList();
        string folder = FolderOf(outputsRoot, gridName);
        var sessions = list.Select(xp => new HParamsSession(xp.Sig, Path.Combine(xp.Folder, TensorBoardOptions.FolderName), HParamValue.FromDelta(xp.Delta)));
        var tags = EpochScalars.Tags(list.Select(xp => History.Load(xp.Folder)));
        HParamsExperiment.Write(folder, sessions, tags, gridName);
        return folder;
    }
}
