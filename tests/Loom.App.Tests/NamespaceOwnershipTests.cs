using System.Text.RegularExpressions;

namespace Loom.App.Tests;

/// <summary>
/// docs/library.md's rule "one namespace per assembly", checked on the sources of every project under src/: no
/// namespace is declared by two assemblies, and `Loom.X` and `Loom.X.*` belong to the assembly named `Loom.X` alone
/// (Loom.Core and Loom, which share the `Loom.` root, split the module namespaces between them).
/// </summary>
public sealed partial class NamespaceOwnershipTests
{
    [GeneratedRegex(@"^namespace\s+([A-Za-z0-9_.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    /// <summary>Each project under src/ (the folder holding its csproj) with the namespaces its .cs files declare.</summary>
    static Dictionary<string, HashSet<string>> DeclaredByProject()
    {
        var projects = new Dictionary<string, HashSet<string>>();
        foreach (var csproj in Directory.GetFiles(Path.Combine(Shell.RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            string folder = Path.GetDirectoryName(csproj)!;
            var sources = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
            projects[Path.GetFileNameWithoutExtension(csproj)] = sources
                .SelectMany(f => NamespaceDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        }
        return projects;
    }

    [Fact]
    public void EveryNamespaceIsDeclaredByTheAssemblyThatOwnsIt()
    {
        var projects = DeclaredByProject();
        Assert.Contains("Loom.Core", projects.Keys);
        Assert.Contains("Loom.Reporting", projects.Keys);
        Assert.Contains("Loom.Training", projects["Loom"]); // the scan reads what it should

        var shared = projects.SelectMany(p => p.Value.Select(ns => (ns, project: p.Key)))
            .GroupBy(x => x.ns).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} (declared by {string.Join(", ", g.Select(x => x.project).Order())})").ToList();
        Assert.True(shared.Count == 0, "namespaces declared by more than one assembly: " + string.Join("; ", shared));

        // An assembly named Loom.X other than the two that share the root owns Loom.X and every Loom.X.*.
        var owners = projects.Keys.Where(p => p is not ("Loom" or "Loom.Core")).ToList();
        var trespassing = (from p in projects from ns in p.Value from owner in owners
                           where owner != p.Key && (ns == owner || ns.StartsWith(owner + ".", StringComparison.Ordinal))
                           select $"{ns} in {p.Key} (belongs to {owner})").ToList();
        Assert.True(trespassing.Count == 0, "namespaces of another assembly: " + string.Join("; ", trespassing));
        var outside = (from owner in owners from ns in projects[owner]
                       where ns != owner && !ns.StartsWith(owner + ".", StringComparison.Ordinal)
                       select $"{ns} in {owner} (expected {owner} or {owner}.*)").ToList();
        Assert.True(outside.Count == 0, "namespaces outside their assembly's root: " + string.Join("; ", outside));
    }
}
