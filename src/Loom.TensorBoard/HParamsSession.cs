namespace Loom.TensorBoard;

/// <summary>
/// One XP of a grid for the experiment summary: the run name TensorBoard shows (the XP's signature fits),
/// the folder with its event files (`&lt;xp&gt;/tensorboard`), and its hyper-parameters (its delta).
/// </summary>
public sealed record HParamsSession(string Name, string LogDir, IReadOnlyDictionary<string, object?> HParams);
