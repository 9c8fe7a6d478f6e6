namespace Loom.App.Tests;

/// <summary>An app's entry point (<see cref="LoomApp.Run"/>) called in the test's process, as its <c>Main</c> would.</summary>
public static class InProcessApp
{
    /// <summary>
    /// The xunit collection of the classes that train in the test's process and compare what they print or compute:
    /// <see cref="RunApp"/> swaps the process's Console.Error, and every in-process training seeds libtorch's one global
    /// generator, so two of them at once read each other's lines and draw each other's numbers (seen on a fresh
    /// machine: two runs of the same XP 0.008 apart in loss). They run one at a time.
    /// </summary>
    public const string Collection = "in-process app (swaps Console.Error)";

    /// <summary>The app's entry point in this process: its exit code and what it wrote to stderr.</summary>
    public static (int Exit, string Errors) RunApp(Action<LoomAppBuilder> configure, params string[] args)
    {
        var errors = new StringWriter();
        var stderr = Console.Error;
        Console.SetError(errors);
        try
        {
            return (LoomApp.Run(args, configure), errors.ToString());
        }
        finally
        {
            Console.SetError(stderr);
        }
    }

    /// <summary>The exit code and the one error line without the program's name (and past <paramref name="cut"/>, if given).</summary>
    public static (int, string) Line((int Exit, string Errors) run, string? cut = null)
    {
        string line = run.Errors.Trim();
        Assert.DoesNotContain('\n', line);
        line = line[(line.IndexOf("error: ", StringComparison.Ordinal) + "error: ".Length)..];
        return (run.Exit, cut is null ? line : line[..(line.IndexOf(cut, StringComparison.Ordinal) + cut.Length)]);
    }
}
