namespace Loom.Scheduling;

/// <summary>
/// One XP to run: the worker re-creates it from <see cref="ConfDir"/> and <see cref="Argv"/> (so nothing
/// needs to be written in the XP folder at submit time) and checks that it still has signature <see cref="Sig"/>.
/// </summary>
public sealed record JobRequest(string Sig, IReadOnlyList<string> Argv, string ConfDir, string OutputsRoot, string Folder, Resources Resources);
