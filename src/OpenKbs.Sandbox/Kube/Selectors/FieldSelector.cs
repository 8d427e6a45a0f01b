using System.Text;

namespace OpenKbs.Sandbox.Kube.Selectors;

/// <summary>A parsed field selector: `a=b`, `a==b`, `a!=b`, comma-separated, with `\,` `\=` `\\` escapes.</summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var list = new List<FieldRequirement>();
        foreach (var term in SplitUnescaped(text, ','))
        {
            if (term.Length == 0)
            {
                continue;
            }

            var (field, op, value) = SplitTerm(term);
            list.Add(new FieldRequirement(field, value, op == "!="));
        }

        return new FieldSelector(list);
    }

    /// <summary>Whether the selector holds for an object whose selectable field values are given by <paramref name="lookup"/>.</summary>
    public bool Matches(Func<string, string?> lookup)
    {
        foreach (var r in Requirements)
        {
            var actual = lookup(r.Field) ?? string.Empty;
            if ((actual == r.Value) == r.NotEqual)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value the selector pins a field to with `=`, if any (used to narrow a list to one name).</summary>
    public string? ExactValue(string field) => Requirements.FirstOrDefault(r => r.Field == field && !r.NotEqual)?.Value;

    private static (string Field, string Op, string Value) SplitTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            if (term[i] == '!' && i + 1 < term.Length && term[i + 1] == '=')
            {
                return (Unescape(term[..i]).Trim(), "!=", Unescape(term[(i + 2)..]));
            }

            if (term[i] == '=')
            {
                var len = i + 1 < term.Length && term[i + 1] == '=' ? 2 : 1;
                return (Unescape(term[..i]).Trim(), "=", Unescape(term[(i + len)..]));
            }
        }

        throw new FormatException($"invalid selector: '{term}'; can't understand '{term}'");
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                sb.Append(text[i]).Append(text[i + 1]);
                i++;
                continue;
            }

            if (text[i] == separator)
            {
                yield return sb.ToString();
                sb.Clear();
                continue;
            }

            sb.Append(text[i]);
        }

        yield return sb.ToString();
    }

    private static string Unescape(string s)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
            }

            sb.Append(s[i]);
        }

        return sb.ToString();
    }
}
