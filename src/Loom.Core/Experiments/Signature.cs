using System.Security.Cryptography;
using System.Text;

namespace Loom.Experiments;

/// <summary>Dora's XP signature: `sha1(json.dumps(sorted(delta)))[:8]`, the delta written as a list of [key, value].</summary>
public static class Signature
{
    public const int Length = 8;

    public static string Compute(IEnumerable<DeltaItem> delta) => Hash(Json(delta));

    /// <summary>The exact text that is hashed.</summary>
    public static string Json(IEnumerable<DeltaItem> delta)
    {
        // sorted() on (key, value) tuples; keys are unique in a delta, so the key decides.
        var sorted = delta.OrderBy(d => d.Key, PyStringComparer.Instance).Select(d => new object?[] { d.Key, d.Value });
        return PyJson.Dumps(sorted.ToList());
    }

    public static string Hash(string json) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(json)))[..Length];
}
