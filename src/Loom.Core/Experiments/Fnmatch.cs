using System.Text;
using System.Text.RegularExpressions;

namespace Loom.Experiments;

/// <summary>
/// Python's fnmatch.fnmatchcase (`*`, `?`, `[seq]`, `[!seq]`), hand-written because .NET has no
/// fnmatch and its file globbing treats `/` and `.` specially where fnmatch does not. Exclude patterns use it.
/// </summary>
public static class Fnmatch
{
    public static bool Matches(string name, string pattern) => ToRegex(pattern).IsMatch(name);

    static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*') sb.Append("(?s:.*)");
            else if (c == '?') sb.Append("(?s:.)");
            else if (c == '[')
            {
                int j = i + 1;
                if (j < pattern.Length && pattern[j] == '!') j++;
                if (j < pattern.Length && pattern[j] == ']') j++;
                while (j < pattern.Length && pattern[j] != ']') j++;
                if (j >= pattern.Length) { sb.Append("\\["); continue; } // unclosed: a literal '[' as in Python
                string body = pattern[(i + 1)..j].Replace("\\", "\\\\");
                if (body.StartsWith('!')) body = "^" + body[1..];
                else if (body.StartsWith('^')) body = "\\" + body;
                sb.Append('[').Append(body).Append(']');
                i = j;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
