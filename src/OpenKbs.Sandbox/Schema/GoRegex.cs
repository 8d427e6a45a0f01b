using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// Regular expressions with Go RE2 semantics, as Kubernetes evaluates OpenAPI <c>pattern</c> and CEL <c>matches()</c>.
/// The pattern is translated to .NET syntax (ASCII \d \w \s, (?P&lt;name&gt;), POSIX classes, '$' as end of text)
/// and compiled with <see cref="RegexOptions.NonBacktracking"/>, which, like RE2, runs in linear time and rejects
/// backreferences and lookarounds.
/// </summary>
internal static class GoRegex
{
    private static readonly ConcurrentDictionary<string, (Regex? Regex, string? Error)> Cache = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>Compiles (cached) or returns the error message Go would give, roughly.</summary>
    public static bool TryCompile(string pattern, out Regex? regex, out string? error)
    {
        var entry = Cache.GetOrAdd(pattern, static p =>
        {
            try
            {
                return (new Regex(Translate(p), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking), null);
            }
            catch (ArgumentException ex)
            {
                return (null, "error parsing regexp: " + ex.Message);
            }
            catch (NotSupportedException ex)
            {
                return (null, "error parsing regexp: " + ex.Message);
            }
        });
        regex = entry.Regex;
        error = entry.Error;
        return regex is not null;
    }

    /// <summary>Unanchored search, like Go's regexp.MatchString.</summary>
    public static bool IsMatch(string pattern, string input)
    {
        if (!TryCompile(pattern, out var regex, out var error))
        {
            throw new ArgumentException(error);
        }

        return regex!.IsMatch(input);
    }

    /// <summary>Rewrites RE2 syntax into the equivalent .NET syntax.</summary>
    public static string Translate(string pattern)
    {
        var flagsUsed = pattern.Contains("(?", StringComparison.Ordinal) && Regex.IsMatch(pattern, @"\(\?[a-zA-Z]*[ms]");
        var sb = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var n = pattern[i + 1];
                i++;
                switch (n)
                {
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        continue;
                    case 'w':
                        sb.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                        continue;
                    case 's':
                        sb.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
                        continue;
                    case 'D' when !inClass:
                        sb.Append("[^0-9]");
                        continue;
                    case 'W' when !inClass:
                        sb.Append("[^0-9A-Za-z_]");
                        continue;
                    case 'S' when !inClass:
                        sb.Append("[^\\t\\n\\f\\r ]");
                        continue;
                    case 'Q':
                        var end = pattern.IndexOf("\\E", i + 1, StringComparison.Ordinal);
                        var literal = end < 0 ? pattern[(i + 1)..] : pattern[(i + 1)..end];
                        sb.Append(Regex.Escape(literal));
                        i = end < 0 ? pattern.Length : end + 1;
                        continue;
                    default:
                        sb.Append('\\').Append(n);
                        continue;
                }
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    var close = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (close > 0)
                    {
                        var name = pattern[(i + 2)..close];
                        var negated = name.StartsWith('^');
                        if (!negated && PosixClasses.TryGetValue(name, out var range))
                        {
                            sb.Append(range);
                            i = close + 1;
                            continue;
                        }
                    }
                }

                if (c == '[')
                {
                    sb.Append("\\[");
                    continue;
                }

                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    sb.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        sb.Append('^');
                        i++;
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        sb.Append("\\]");
                        i++;
                    }

                    continue;
                case '(' when i + 2 < pattern.Length && pattern[i + 1] == '?' && pattern[i + 2] == 'P' && i + 3 < pattern.Length && pattern[i + 3] == '<':
                    sb.Append("(?<");
                    i += 3;
                    continue;
                case '$' when !flagsUsed:
                    sb.Append("\\z");
                    continue;
                default:
                    sb.Append(c);
                    continue;
            }
        }

        return sb.ToString();
    }
}
