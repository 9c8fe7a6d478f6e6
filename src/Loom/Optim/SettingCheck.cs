using System.Globalization;
using Loom.Config;

namespace Loom.Optim;

/// <summary>The one-line refusal of a bad optimizer or schedule setting: `optim.lr=-0.1: expected a positive finite number`.</summary>
public static class SettingCheck
{
    /// <summary>Throws a <see cref="ConfigException"/> naming <paramref name="key"/> (dotted: `optim.alpha`) and its value unless <paramref name="ok"/>.</summary>
    public static void Require(bool ok, string key, object? value, string expected)
    {
        if (!ok) throw new ConfigException($"{key}={Text(value)}: {expected}");
    }

    /// <summary>A value as the user wrote it in YAML: `1e-08`, `0.1`, `true`, `[0.9, 0.999]`.</summary>
    public static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => PyFloat.Repr(d),
        double[] list => $"[{string.Join(", ", list.Select(x => Text(x)))}]",
        int[] list => $"[{string.Join(", ", list)}]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
