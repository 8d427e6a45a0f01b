using System.Collections;
using System.Globalization;
using System.Text;
using Cel;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// The Kubernetes CEL libraries the Cel package lacks, registered as custom functions: cel-go's strings extension
/// (charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split, substring, trim, join), Kubernetes' lists
/// (isSorted, sum, min, max, indexOf, lastIndexOf), regex (find, findAll) and URL libraries, and optional values.
/// Strings are indexed by Unicode code point, as in CEL. Errors carry cel-go's wording.
/// </summary>
internal static class KubernetesCelLibrary
{
    private static readonly Type Str = typeof(string);
    private static readonly Type Obj = typeof(object);
    private static readonly Type List = typeof(IList);

    public static void Register(CelEnvironment env)
    {
        env.RegisterFunction("charAt", [Str, Obj], a => CharAt((string)a[0]!, ToLong(a[1])));
        env.RegisterFunction("indexOf", [Str, Obj], a => IndexOf((string)a[0]!, (string)a[1]!, 0));
        env.RegisterFunction("indexOf", [Str, Obj, Obj], a => IndexOf((string)a[0]!, (string)a[1]!, ToLong(a[2])));
        env.RegisterFunction("lastIndexOf", [Str, Obj], a => LastIndexOf((string)a[0]!, (string)a[1]!, null));
        env.RegisterFunction("lastIndexOf", [Str, Obj, Obj], a => LastIndexOf((string)a[0]!, (string)a[1]!, ToLong(a[2])));
        env.RegisterFunction("lowerAscii", [Str], a => MapAscii((string)a[0]!, upper: false));
        env.RegisterFunction("upperAscii", [Str], a => MapAscii((string)a[0]!, upper: true));
        env.RegisterFunction("replace", [Str, Obj, Obj], a => Replace((string)a[0]!, (string)a[1]!, (string)a[2]!, -1));
        env.RegisterFunction("replace", [Str, Obj, Obj, Obj], a => Replace((string)a[0]!, (string)a[1]!, (string)a[2]!, ToLong(a[3])));
        env.RegisterFunction("split", [Str, Obj], a => Split((string)a[0]!, (string)a[1]!, -1));
        env.RegisterFunction("split", [Str, Obj, Obj], a => Split((string)a[0]!, (string)a[1]!, ToLong(a[2])));
        env.RegisterFunction("substring", [Str, Obj], a => Substring((string)a[0]!, ToLong(a[1]), null));
        env.RegisterFunction("substring", [Str, Obj, Obj], a => Substring((string)a[0]!, ToLong(a[1]), ToLong(a[2])));
        env.RegisterFunction("trim", [Str], a => ((string)a[0]!).Trim());
        env.RegisterFunction("join", [List], a => Join((IList)a[0]!, ""));
        env.RegisterFunction("join", [List, Obj], a => Join((IList)a[0]!, (string)a[1]!));

        env.RegisterFunction("isSorted", [List], a => IsSorted((IList)a[0]!));
        env.RegisterFunction("sum", [List], a => Sum((IList)a[0]!));
        env.RegisterFunction("min", [List], a => Extreme((IList)a[0]!, "min", -1));
        env.RegisterFunction("max", [List], a => Extreme((IList)a[0]!, "max", 1));
        env.RegisterFunction("indexOf", [List, Obj], a => ListIndexOf((IList)a[0]!, a[1], last: false));
        env.RegisterFunction("lastIndexOf", [List, Obj], a => ListIndexOf((IList)a[0]!, a[1], last: true));

        env.RegisterFunction("find", [Str, Obj], a => Find((string)a[0]!, (string)a[1]!));
        env.RegisterFunction("findAll", [Str, Obj], a => FindAll((string)a[0]!, (string)a[1]!, -1));
        env.RegisterFunction("findAll", [Str, Obj, Obj], a => FindAll((string)a[0]!, (string)a[1]!, ToLong(a[2])));

        env.RegisterFunction("url", [Str], a => ParseUrl((string)a[0]!) ?? throw new CelEvaluationException($"URL parse error during conversion from string: {a[0]}"));
        env.RegisterFunction("isURL", [Str], a => ParseUrl((string)a[0]!) is not null);
        env.RegisterFunction("getScheme", [typeof(CelUrl)], a => ((CelUrl)a[0]!).Uri.IsAbsoluteUri ? ((CelUrl)a[0]!).Uri.Scheme : "");
        env.RegisterFunction("getHost", [typeof(CelUrl)], a => Host((CelUrl)a[0]!, withPort: true));
        env.RegisterFunction("getHostname", [typeof(CelUrl)], a => Host((CelUrl)a[0]!, withPort: false));
        env.RegisterFunction("getPort", [typeof(CelUrl)], a => ((CelUrl)a[0]!).Uri.IsAbsoluteUri && !((CelUrl)a[0]!).Uri.IsDefaultPort ? ((CelUrl)a[0]!).Uri.Port.ToString(CultureInfo.InvariantCulture) : "");
        env.RegisterFunction("getEscapedPath", [typeof(CelUrl)], a => ((CelUrl)a[0]!).Uri.IsAbsoluteUri ? ((CelUrl)a[0]!).Uri.AbsolutePath : ((CelUrl)a[0]!).Original.Split('?')[0]);
        env.RegisterFunction("getQuery", [typeof(CelUrl)], a => Query((CelUrl)a[0]!));

        env.RegisterFunction("hasValue", [typeof(CelOptional)], a => ((CelOptional)a[0]!).HasValue);
        env.RegisterFunction("value", [typeof(CelOptional)], a => ((CelOptional)a[0]!).HasValue ? ((CelOptional)a[0]!).Value : throw new CelEvaluationException("optional.none() dereference"));
        env.RegisterFunction("orValue", [typeof(CelOptional), Obj], a => ((CelOptional)a[0]!).HasValue ? ((CelOptional)a[0]!).Value : a[1]);
    }

    internal static long ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        ulong u when u <= long.MaxValue => (long)u,
        uint u => u,
        _ => throw new CelEvaluationException("no such overload"),
    };

    private static int[] Runes(string s)
    {
        var runes = new List<int>(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            runes.Add(r.Value);
        }

        return [.. runes];
    }

    private static string FromRunes(int[] runes, long start, long end)
    {
        var sb = new StringBuilder();
        for (var i = start; i < end; i++)
        {
            sb.Append(char.ConvertFromUtf32(runes[i]));
        }

        return sb.ToString();
    }

    private static string CharAt(string s, long index)
    {
        var runes = Runes(s);
        if (index < 0 || index > runes.Length)
        {
            throw new CelEvaluationException($"index out of range: {index}");
        }

        return index == runes.Length ? "" : char.ConvertFromUtf32(runes[index]);
    }

    private static long IndexOf(string s, string sub, long offset)
    {
        var runes = Runes(s);
        var subRunes = Runes(sub);
        if (offset < 0 || offset > runes.Length)
        {
            throw new CelEvaluationException($"index out of range: {offset}");
        }

        for (var i = offset; i + subRunes.Length <= runes.Length; i++)
        {
            if (MatchesAt(runes, subRunes, i))
            {
                return i;
            }
        }

        return -1;
    }

    private static long LastIndexOf(string s, string sub, long? offset)
    {
        var runes = Runes(s);
        var subRunes = Runes(sub);
        var start = offset ?? runes.Length - subRunes.Length;
        if (offset is { } o && (o < 0 || o >= Math.Max(runes.Length, 1)))
        {
            throw new CelEvaluationException($"index out of range: {o}");
        }

        for (var i = Math.Min(start, runes.Length - subRunes.Length); i >= 0; i--)
        {
            if (MatchesAt(runes, subRunes, i))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool MatchesAt(int[] runes, int[] sub, long at)
    {
        for (var j = 0; j < sub.Length; j++)
        {
            if (runes[at + j] != sub[j])
            {
                return false;
            }
        }

        return true;
    }

    private static string MapAscii(string s, bool upper)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (upper && chars[i] is >= 'a' and <= 'z')
            {
                chars[i] = (char)(chars[i] - 32);
            }
            else if (!upper && chars[i] is >= 'A' and <= 'Z')
            {
                chars[i] = (char)(chars[i] + 32);
            }
        }

        return new string(chars);
    }

    private static string Replace(string s, string oldValue, string newValue, long n)
    {
        if (n == 0)
        {
            return s;
        }

        if (n < 0)
        {
            return oldValue.Length == 0 ? string.Join(newValue, ["", .. Runes(s).Select(char.ConvertFromUtf32), ""]) : s.Replace(oldValue, newValue, StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        var index = 0;
        for (var count = 0; count < n; count++)
        {
            var next = s.IndexOf(oldValue, index, StringComparison.Ordinal);
            if (next < 0 || oldValue.Length == 0)
            {
                break;
            }

            sb.Append(s, index, next - index).Append(newValue);
            index = next + oldValue.Length;
        }

        sb.Append(s, index, s.Length - index);
        return sb.ToString();
    }

    private static List<object?> Split(string s, string separator, long n)
    {
        if (n == 0)
        {
            return [];
        }

        string[] parts;
        if (separator.Length == 0)
        {
            parts = [.. Runes(s).Select(char.ConvertFromUtf32)];
            if (n > 0 && parts.Length > n)
            {
                parts = [.. parts.Take((int)n - 1), string.Concat(parts.Skip((int)n - 1))];
            }
        }
        else
        {
            parts = n > 0 ? s.Split(separator, (int)Math.Min(n, int.MaxValue)) : s.Split(separator);
        }

        return [.. parts];
    }

    private static string Substring(string s, long start, long? end)
    {
        var runes = Runes(s);
        var stop = end ?? runes.Length;
        if (start < 0 || start > runes.Length)
        {
            throw new CelEvaluationException($"index out of range: {start}");
        }

        if (stop < 0 || stop > runes.Length)
        {
            throw new CelEvaluationException($"index out of range: {stop}");
        }

        if (start > stop)
        {
            throw new CelEvaluationException($"invalid substring range. start: {start}, end: {stop}");
        }

        return FromRunes(runes, start, stop);
    }

    private static string Join(IList list, string separator) =>
        string.Join(separator, list.Cast<object?>().Select(x => x as string ?? throw new CelEvaluationException("no such overload")));

    private static bool IsSorted(IList list)
    {
        for (var i = 1; i < list.Count; i++)
        {
            if (Compare(list[i - 1], list[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static object? Sum(IList list)
    {
        if (list.Count == 0)
        {
            return 0L;
        }

        object? total = null;
        foreach (var item in list)
        {
            total = total is null ? item : Add(total, item);
        }

        return total;
    }

    private static object Add(object a, object? b)
    {
        try
        {
            return (a, b) switch
            {
                (long x, long y) => (object)checked(x + y),
                (double x, double y) => (object)(x + y),
                (ulong x, ulong y) => (object)checked(x + y),
                (long x, int y) => (object)checked(x + y),
                (int x, long y) => (object)checked(x + y),
                (int x, int y) => (object)((long)x + y),
                _ => throw new CelEvaluationException("no such overload"),
            };
        }
        catch (OverflowException)
        {
            throw new CelEvaluationException("integer overflow");
        }
    }

    private static object? Extreme(IList list, string name, int sign)
    {
        if (list.Count == 0)
        {
            throw new CelEvaluationException($"{name}(list) argument must not be empty");
        }

        var best = list[0];
        for (var i = 1; i < list.Count; i++)
        {
            if (Compare(list[i], best) * sign > 0)
            {
                best = list[i];
            }
        }

        return best;
    }

    private static long ListIndexOf(IList list, object? value, bool last)
    {
        var indices = Enumerable.Range(0, list.Count);
        foreach (var i in last ? indices.Reverse() : indices)
        {
            if (CelValueEquality.AreEqual(list[i], value))
            {
                return i;
            }
        }

        return -1;
    }

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (bool x, bool y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        _ when IsNumber(a) && IsNumber(b) => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
        _ => throw new CelEvaluationException("no such overload"),
    };

    private static bool IsNumber(object? value) => value is long or int or double or ulong or uint or float;

    private static string Find(string s, string pattern)
    {
        var regex = Compile(pattern);
        var match = regex.Match(s);
        return match.Success ? match.Value : "";
    }

    private static List<object?> FindAll(string s, string pattern, long n)
    {
        var regex = Compile(pattern);
        var result = new List<object?>();
        if (n == 0)
        {
            return result;
        }

        foreach (System.Text.RegularExpressions.Match match in regex.Matches(s))
        {
            result.Add(match.Value);
            if (n > 0 && result.Count >= n)
            {
                break;
            }
        }

        return result;
    }

    private static System.Text.RegularExpressions.Regex Compile(string pattern) =>
        GoRegex.TryCompile(pattern, out var regex, out var error) ? regex! : throw new CelEvaluationException(error ?? "invalid regex");

    private static CelUrl? ParseUrl(string value)
    {
        if (value.StartsWith('/') && Uri.TryCreate("http://placeholder" + value, UriKind.Absolute, out _))
        {
            return new CelUrl(new Uri(value, UriKind.Relative), value);
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.Length > 0 && !value.StartsWith('/') ? new CelUrl(uri, value) : null;
    }

    private static string Host(CelUrl url, bool withPort)
    {
        if (!url.Uri.IsAbsoluteUri)
        {
            return "";
        }

        var host = url.Uri.HostNameType == UriHostNameType.IPv6 && withPort ? "[" + url.Uri.IdnHost + "]" : url.Uri.Host;
        if (!withPort && url.Uri.HostNameType == UriHostNameType.IPv6)
        {
            host = url.Uri.Host.Trim('[', ']');
        }

        return withPort && !url.Uri.IsDefaultPort ? host + ":" + url.Uri.Port.ToString(CultureInfo.InvariantCulture) : host;
    }

    private static Dictionary<string, object?> Query(CelUrl url)
    {
        var query = url.Uri.IsAbsoluteUri ? url.Uri.Query : (url.Original.Contains('?', StringComparison.Ordinal) ? url.Original[url.Original.IndexOf('?', StringComparison.Ordinal)..] : "");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var val = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!result.TryGetValue(key, out var list))
            {
                list = new List<object?>();
                result[key] = list;
            }

            ((List<object?>)list!).Add(val);
        }

        return result;
    }
}
