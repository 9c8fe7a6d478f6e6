namespace Loom.Config;

/// <summary>
/// A configuration problem the user can fix: a bad YAML file, override, key, value or interpolation.
/// The message is always one line naming the file (with line:column for YAML), the key or value at fault
/// and what was expected, so that the CLI can print it as is and exit with code 2.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message) : base(OneLine(message)) { }
    public ConfigException(string message, Exception inner) : base(OneLine(message), inner) { }

    // Messages embed user text (values, YAML library messages); a newline in them would break the contract.
    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
