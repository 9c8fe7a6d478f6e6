using System.Text.RegularExpressions;

namespace Loom.App.Tests;

/// <summary>
/// docs/library.md's examples are the tests' own code: each block marked `&lt;!-- tested: FILE --&gt;` must appear in
/// FILE (spacing aside), so an example that no longer compiles or no longer passes fails here, not in a reader's app.
/// </summary>
public sealed class DocExamplesTests
{
    static string Squeeze(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    [Fact]
    public void EveryTestedExampleOfTheLibraryPageIsInItsTest()
    {
        string page = File.ReadAllText(Path.Combine(Shell.RepoRoot, "docs", "library.md"));
        var examples = Regex.Matches(page, @"<!-- tested: (\S+) -->\s*```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(examples.Count >= 4, $"expected the library page's tested examples, found {examples.Count}");
        foreach (Match example in examples)
        {
            string file = example.Groups[1].Value;
            string source = File.ReadAllText(Path.Combine(Shell.RepoRoot, file));
            Assert.True(Squeeze(source).Contains(Squeeze(example.Groups[2].Value), StringComparison.Ordinal),
                $"docs/library.md: an example marked as tested by {file} is not in it:\n{example.Groups[2].Value}");
        }
    }
}
