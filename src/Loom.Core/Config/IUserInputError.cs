namespace Loom.Config;

/// <summary>
/// Marks an exception that means "the user's input is wrong" and whose message is one line naming the culprit:
/// an app prints it as is and exits 2, like a <see cref="ConfigException"/>. Lets a plug-in assembly (reporting)
/// declare its own input errors without the app's error map having to know its types.
/// </summary>
public interface IUserInputError;
