using System.Reflection;

namespace Loom.Searches;

/// <summary>The searches of some assemblies (the `loom` executable's, and a user's own), found by reflection.</summary>
public sealed class SearchCatalog
{
    readonly SortedDictionary<string, Type> searches = new(StringComparer.Ordinal);

    public SearchCatalog(IEnumerable<Assembly> assemblies)
    {
        foreach (var type in assemblies.Distinct().SelectMany(Grids.GridCatalog.LoadableTypes))
        {
            if (!type.IsSubclassOf(typeof(Search)) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null) continue;
            string name = Search.NameOf(type);
            if (searches.TryGetValue(name, out var other) && other != type)
                throw new SearchException($"two searches are named '{name}': {other.FullName} and {type.FullName}");
            searches[name] = type;
        }
    }

    public IReadOnlyCollection<string> Names => searches.Keys;

    public Search Get(string name) => searches.TryGetValue(name, out var type) ? (Search)Activator.CreateInstance(type)!
        : throw new SearchException($"no search named '{name}'; the searches are: {(searches.Count == 0 ? "(none)" : string.Join(", ", searches.Keys))}");
}
