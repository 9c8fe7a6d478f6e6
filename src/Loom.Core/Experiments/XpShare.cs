using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Loom.Config;

namespace Loom.Experiments;

/// <summary>
/// Dora's export/import string: base64(zlib(json.dumps([argv, ...]))), wrapped at 70 columns. It is
/// RFC 1950 zlib (header and Adler-32), hence ZLibStream and not DeflateStream.
/// </summary>
public static class XpShare
{
    public const int Columns = 70;

    public static string Export(IEnumerable<IReadOnlyList<string>> argvs)
    {
        byte[] json = Encoding.UTF8.GetBytes(PyJson.Dumps(argvs.Select(a => a.ToList()).ToList()));
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(json);
        string b64 = Convert.ToBase64String(buffer.ToArray());
        return string.Join("\n", Enumerable.Range(0, (b64.Length + Columns - 1) / Columns)
            .Select(i => b64.Substring(i * Columns, Math.Min(Columns, b64.Length - i * Columns))));
    }

    /// <summary>Reads a string made by <see cref="Export"/> (or Dora); whitespace anywhere is ignored.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Import(string text)
    {
        string compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        try
        {
            byte[] compressed = Convert.FromBase64String(compact);
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var reader = new StreamReader(zlib, Encoding.UTF8);
            var argvs = JsonSerializer.Deserialize<List<List<string>>>(reader.ReadToEnd());
            if (argvs is null || argvs.Any(a => a is null)) throw new JsonException("null entry");
            return argvs;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or JsonException)
        {
            string shown = compact.Length > 20 ? compact[..20] + "..." : compact;
            throw new ConfigException($"import: '{shown}' is not an export string (base64 of zlib-compressed JSON list of override lists): {e.Message}");
        }
    }
}
