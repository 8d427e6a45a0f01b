using System.Globalization;
using System.Text;

namespace OpenKbs.Sandbox.Kube.Selectors;

/// <summary>
/// A parsed label selector (k8s.io/apimachinery/pkg/labels syntax): `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
/// `a notin (x)`, `a`, `!a`, `a&gt;1`, `a&lt;1`, requirements separated by commas (all must hold).
/// </summary>
internal sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0)
            {
                throw new FormatException($"unable to parse requirement: found '', expected: identifier");
            }

            requirements.Add(ParseRequirement(p));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        foreach (var r in _requirements)
        {
            if (!r.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }

            if (c == ',' && depth == 0)
            {
                yield return sb.ToString();
                sb.Clear();
                continue;
            }

            sb.Append(c);
        }

        yield return sb.ToString();
    }

    private static Requirement ParseRequirement(string p)
    {
        if (p.StartsWith('!'))
        {
            return new Requirement(ValidKey(p[1..].Trim()), Operator.DoesNotExist, []);
        }

        var inIndex = IndexOfWord(p, " in ");
        var notInIndex = IndexOfWord(p, " notin ");
        if (notInIndex > 0)
        {
            return new Requirement(ValidKey(p[..notInIndex].Trim()), Operator.NotIn, ParseSet(p[(notInIndex + 7)..]));
        }

        if (inIndex > 0)
        {
            return new Requirement(ValidKey(p[..inIndex].Trim()), Operator.In, ParseSet(p[(inIndex + 4)..]));
        }

        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals), (">", Operator.GreaterThan), ("<", Operator.LessThan) })
        {
            var i = p.IndexOf(token, StringComparison.Ordinal);
            if (i > 0)
            {
                var key = ValidKey(p[..i].Trim());
                var value = p[(i + token.Length)..].Trim();
                if (op is Operator.GreaterThan or Operator.LessThan)
                {
                    if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        throw new FormatException($"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
                    }
                }
                else
                {
                    ValidValue(value);
                }

                return new Requirement(key, op, [value]);
            }
        }

        return new Requirement(ValidKey(p), Operator.Exists, []);
    }

    private static int IndexOfWord(string p, string word) => p.IndexOf(word, StringComparison.Ordinal);

    private static string[] ParseSet(string text)
    {
        var t = text.Trim();
        if (!t.StartsWith('(') || !t.EndsWith(')'))
        {
            throw new FormatException($"unable to parse requirement: found '{t}', expected: '('");
        }

        return t[1..^1].Split(',').Select(v => ValidValue(v.Trim())).ToArray();
    }

    private static string ValidKey(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw new FormatException($"unable to parse requirement: invalid label key \"{key}\"");
        }

        return key;
    }

    private static string ValidValue(string value)
    {
        if (value.Length > 63 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new FormatException($"unable to parse requirement: invalid label value: \"{value}\"");
        }

        return value;
    }

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Op, string[] Values)
    {
        public bool Matches(IReadOnlyList<KeyValuePair<string, string>> labels)
        {
            string? value = null;
            foreach (var kv in labels)
            {
                if (kv.Key == Key)
                {
                    value = kv.Value;
                    break;
                }
            }

            return Op switch
            {
                Operator.Equals or Operator.In => value is not null && Values.Contains(value),
                Operator.NotEquals or Operator.NotIn => value is null || !Values.Contains(value),
                Operator.Exists => value is not null,
                Operator.DoesNotExist => value is null,
                Operator.GreaterThan => value is not null && long.TryParse(value, CultureInfo.InvariantCulture, out var g) && g > long.Parse(Values[0], CultureInfo.InvariantCulture),
                Operator.LessThan => value is not null && long.TryParse(value, CultureInfo.InvariantCulture, out var l) && l < long.Parse(Values[0], CultureInfo.InvariantCulture),
                _ => false,
            };
        }
    }
}
