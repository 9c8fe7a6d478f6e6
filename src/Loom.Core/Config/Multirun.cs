namespace Loom.Config;

/// <summary>
/// Hydra's basic sweeper: overrides whose value has top-level commas (`optim.lr=0.1,0.01`) expand to the
/// cartesian product, the first override varying slowest (itertools.product order). Commas inside
/// [..], {..}, quotes or ${..} do not split.
/// </summary>
public static class Multirun
{
    public static IReadOnlyList<IReadOnlyList<string>> Expand(IReadOnlyList<string> overrides)
    {
        IEnumerable<IReadOnlyList<string>> runs = [Array.Empty<string>()];
        foreach (var text in overrides)
        {
            var parsed = Override.Parse(text);
            IReadOnlyList<string> alternatives = parsed.IsSweep
                ? parsed.Choices.Select(c => $"{parsed.Prefix}{parsed.Key}={c.Text}").ToList()
                : [text];
            runs = runs.SelectMany(run => alternatives.Select(a => (IReadOnlyList<string>)[.. run, a])).ToList();
        }
        return runs.ToList();
    }
}
