using System.Collections;
using System.Globalization;
using System.Text;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// The function implementations: CEL's standard functions (size, contains, startsWith, endsWith, matches,
/// conversions, timestamp and duration accessors) and the Kubernetes libraries (strings extension, lists, regex,
/// URLs, sets, optionals). Strings are indexed by Unicode code point; regular expressions have RE2 semantics.
/// A function that does not apply to its arguments raises "no such overload".
/// </summary>
internal static class CelStandardLibrary
{
    private static readonly Dictionary<string, CelFunction> Functions = new(StringComparer.Ordinal)
    {
        ["size"] = a => Arity(a, 1) switch
        {
            string s => (long)s.EnumerateRunes().Count(),
            byte[] b => (long)b.Length,
            IList l => (long)l.Count,
            IDictionary m => (long)m.Count,
            _ => throw NoOverload(),
        },
        ["contains"] = a => Str(a, 0, 2).Contains(Str(a, 1, 2), StringComparison.Ordinal),
        ["startsWith"] = a => Str(a, 0, 2).StartsWith(Str(a, 1, 2), StringComparison.Ordinal),
        ["endsWith"] = a => Str(a, 0, 2).EndsWith(Str(a, 1, 2), StringComparison.Ordinal),
        ["matches"] = a => Regex(Str(a, 1, 2)).IsMatch(Str(a, 0, 2)),
        ["int"] = a => ToInt(Arity(a, 1)),
        ["uint"] = a => ToUint(Arity(a, 1)),
        ["double"] = a => ToDouble(Arity(a, 1)),
        ["string"] = a => ToStringValue(Arity(a, 1)),
        ["bytes"] = a => Arity(a, 1) switch
        {
            string s => Encoding.UTF8.GetBytes(s),
            byte[] b => b,
            _ => throw NoOverload(),
        },
        ["bool"] = a => Arity(a, 1) switch
        {
            bool b => b,
            string s => s switch
            {
                "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
                "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
                _ => throw new CelEvaluationException($"type conversion error from 'string' to 'bool'"),
            },
            _ => throw NoOverload(),
        },
        ["dyn"] = a => Arity(a, 1),
        ["type"] = a => CelTypeValue.Of(Arity(a, 1)),
        ["duration"] = a => Arity(a, 1) switch
        {
            TimeSpan d => d,
            string s when CelValues.TryParseDuration(s, out var d) => d,
            string s => throw new CelEvaluationException($"type conversion error from 'string' to 'google.protobuf.Duration': {s}"),
            _ => throw NoOverload(),
        },
        ["timestamp"] = a => Arity(a, 1) switch
        {
            DateTimeOffset t => t,
            long seconds => DateTimeOffset.FromUnixTimeSeconds(seconds),
            string s when CelValues.TryParseTimestamp(s, out var t) => t,
            string s => throw new CelEvaluationException($"type conversion error from 'string' to 'google.protobuf.Timestamp': {s}"),
            _ => throw NoOverload(),
        },
        ["getFullYear"] = a => Time(a, t => t.Year),
        ["getMonth"] = a => Time(a, t => t.Month - 1),
        ["getDayOfYear"] = a => Time(a, t => t.DayOfYear - 1),
        ["getDayOfMonth"] = a => Time(a, t => t.Day - 1),
        ["getDate"] = a => Time(a, t => t.Day),
        ["getDayOfWeek"] = a => Time(a, t => (int)t.DayOfWeek),
        ["getHours"] = a => a[0] is TimeSpan d ? (long)d.TotalHours : Time(a, t => t.Hour),
        ["getMinutes"] = a => a[0] is TimeSpan d ? (long)d.TotalMinutes : Time(a, t => t.Minute),
        ["getSeconds"] = a => a[0] is TimeSpan d ? (long)d.TotalSeconds : Time(a, t => t.Second),
        ["getMilliseconds"] = a => a[0] is TimeSpan d ? (long)d.TotalMilliseconds : Time(a, t => t.Millisecond),

        // cel-go ext.Strings (the set kube-apiserver enables).
        ["charAt"] = a => CharAt(Str(a, 0, 2), Int(a, 1)),
        ["indexOf"] = a => a[0] is IList list ? ListIndexOf(list, Arity(a, 2, 1), last: false) : IndexOf(Str(a, 0), Str(a, 1), a.Length > 2 ? Int(a, 2) : 0),
        ["lastIndexOf"] = a => a[0] is IList list ? ListIndexOf(list, Arity(a, 2, 1), last: true) : LastIndexOf(Str(a, 0), Str(a, 1), a.Length > 2 ? Int(a, 2) : null),
        ["lowerAscii"] = a => MapAscii(Str(a, 0, 1), upper: false),
        ["upperAscii"] = a => MapAscii(Str(a, 0, 1), upper: true),
        ["replace"] = a => Replace(Str(a, 0), Str(a, 1), Str(a, 2), a.Length > 3 ? Int(a, 3) : -1),
        ["split"] = a => Split(Str(a, 0), Str(a, 1), a.Length > 2 ? Int(a, 2) : -1),
        ["substring"] = a => Substring(Str(a, 0), Int(a, 1), a.Length > 2 ? Int(a, 2) : null),
        ["trim"] = a => Str(a, 0, 1).Trim(),
        ["join"] = a => string.Join(a.Length > 1 ? Str(a, 1) : "", List(a, 0).Cast<object?>().Select(x => x as string ?? throw NoOverload())),

        // Kubernetes lists library.
        ["isSorted"] = a => IsSorted(List(a, 0)),
        ["sum"] = a => Sum(List(a, 0)),
        ["min"] = a => Extreme(List(a, 0), "min", -1),
        ["max"] = a => Extreme(List(a, 0), "max", 1),

        // Kubernetes regex library.
        ["find"] = a => Regex(Str(a, 1)).Match(Str(a, 0)) is { Success: true } m ? m.Value : "",
        ["findAll"] = a => FindAll(Str(a, 0), Str(a, 1), a.Length > 2 ? Int(a, 2) : -1),

        // Kubernetes URL library.
        ["url"] = a => CelUrl.Parse(Str(a, 0, 1)) ?? throw new CelEvaluationException($"URL parse error during conversion from string: {a[0]}"),
        ["isURL"] = a => CelUrl.Parse(Str(a, 0, 1)) is not null,
        ["getScheme"] = a => Url(a).Scheme,
        ["getHost"] = a => Url(a).Host(withPort: true),
        ["getHostname"] = a => Url(a).Host(withPort: false),
        ["getPort"] = a => Url(a).Port,
        ["getEscapedPath"] = a => Url(a).EscapedPath,
        ["getQuery"] = a => Url(a).Query(),

        // cel-go ext.Sets.
        ["sets.contains"] = a => List(a, 1).Cast<object?>().All(x => List(a, 0).Cast<object?>().Any(y => CelOperators.AreEqual(x, y))),
        ["sets.equivalent"] = a => List(a, 0).Cast<object?>().All(x => List(a, 1).Cast<object?>().Any(y => CelOperators.AreEqual(x, y)))
            && List(a, 1).Cast<object?>().All(x => List(a, 0).Cast<object?>().Any(y => CelOperators.AreEqual(x, y))),
        ["sets.intersects"] = a => List(a, 0).Cast<object?>().Any(x => List(a, 1).Cast<object?>().Any(y => CelOperators.AreEqual(x, y))),

        // Optionals.
        ["optional.of"] = a => CelOptional.Of(Arity(a, 1)),
        ["optional.none"] = a => a.Length == 0 ? CelOptional.None : throw NoOverload(),
        ["optional.ofNonZeroValue"] = a => IsZero(Arity(a, 1)) ? CelOptional.None : CelOptional.Of(a[0]),
        ["hasValue"] = a => Optional(a, 1).HasValue,
        ["value"] = a => Optional(a, 1) is { HasValue: true } o ? o.Value : throw new CelEvaluationException("optional.none() dereference"),
        ["orValue"] = a => Optional(a, 2) is { HasValue: true } o ? o.Value : a[1],
        ["or"] = a => Optional(a, 2) is { HasValue: true } o ? o : a[1] as CelOptional ?? throw NoOverload(),
    };

    public static bool TryGet(string name, out CelFunction function) => Functions.TryGetValue(name, out function!);

    public static IEnumerable<string> Names => Functions.Keys;

    private static CelEvaluationException NoOverload() => new("no such overload");

    private static object? Arity(object?[] args, int arity, int index = 0) => args.Length == arity ? args[index] : throw NoOverload();

    private static string Str(object?[] args, int index, int? arity = null) =>
        (arity is null || args.Length == arity) && index < args.Length && args[index] is string s ? s : throw NoOverload();

    private static long Int(object?[] args, int index) => index < args.Length ? args[index] switch
    {
        long l => l,
        int i => i,
        _ => throw NoOverload(),
    } : throw NoOverload();

    private static IList List(object?[] args, int index) => index < args.Length && args[index] is IList l ? l : throw NoOverload();

    private static CelOptional Optional(object?[] args, int arity) => args.Length == arity && args[0] is CelOptional o ? o : throw NoOverload();

    private static CelUrl Url(object?[] args) => args.Length == 1 && args[0] is CelUrl u ? u : throw NoOverload();

    private static System.Text.RegularExpressions.Regex Regex(string pattern) =>
        GoRegex.TryCompile(pattern, out var regex, out var error) ? regex! : throw new CelEvaluationException(error ?? "invalid regex");

    private static long ToInt(object? value) => value switch
    {
        long l => l,
        int i => i,
        ulong u => u <= long.MaxValue ? (long)u : throw new CelEvaluationException("integer overflow"),
        double d => double.IsFinite(d) && d > -9.2233720368547758E+18 && d < 9.2233720368547758E+18 ? (long)Math.Truncate(d) : throw new CelEvaluationException("integer overflow"),
        string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : throw new CelEvaluationException($"type conversion error from 'string' to 'int'"),
        DateTimeOffset t => t.ToUnixTimeSeconds(),
        _ => throw NoOverload(),
    };

    private static ulong ToUint(object? value) => value switch
    {
        ulong u => u,
        long l => l >= 0 ? (ulong)l : throw new CelEvaluationException("unsigned integer overflow"),
        int i => i >= 0 ? (ulong)i : throw new CelEvaluationException("unsigned integer overflow"),
        double d => double.IsFinite(d) && d >= 0 && d < 1.8446744073709552E+19 ? (ulong)Math.Truncate(d) : throw new CelEvaluationException("unsigned integer overflow"),
        string s => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : throw new CelEvaluationException($"type conversion error from 'string' to 'uint'"),
        _ => throw NoOverload(),
    };

    private static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => (double)l,
        int i => (double)i,
        ulong u => (double)u,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new CelEvaluationException($"type conversion error from 'string' to 'double'"),
        _ => throw NoOverload(),
    };

    internal static string ToStringValue(object? value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        double d => GoFormat.Float(d),
        bool b => b ? "true" : "false",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        DateTimeOffset t => t.UtcDateTime.ToString(t.UtcDateTime.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        TimeSpan d => GoFormat.Float(d.TotalSeconds) + "s",
        _ => throw NoOverload(),
    };

    private static long Time(object?[] args, Func<DateTimeOffset, int> part)
    {
        if (args[0] is not DateTimeOffset t || args.Length > 2)
        {
            throw NoOverload();
        }

        if (args.Length == 2)
        {
            t = InZone(t, Str(args, 1));
        }
        else
        {
            t = t.ToUniversalTime();
        }

        return part(t);
    }

    private static DateTimeOffset InZone(DateTimeOffset t, string zone)
    {
        if (TimeSpan.TryParseExact(zone.TrimStart('+'), "hh\\:mm", CultureInfo.InvariantCulture, out var offset))
        {
            return t.ToOffset(zone.StartsWith('-') ? -offset : offset);
        }

        try
        {
            return TimeZoneInfo.ConvertTime(t, TimeZoneInfo.FindSystemTimeZoneById(zone));
        }
        catch (TimeZoneNotFoundException)
        {
            throw new CelEvaluationException($"unknown time zone: {zone}");
        }
    }

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
        if (offset is { } o && (o < 0 || o > runes.Length))
        {
            throw new CelEvaluationException($"index out of range: {o}");
        }

        var start = Math.Min(offset ?? runes.Length, runes.Length - subRunes.Length);
        for (var i = start; i >= 0; i--)
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

        if (oldValue.Length == 0)
        {
            var parts = Runes(s).Select(char.ConvertFromUtf32).ToList();
            var sb0 = new StringBuilder();
            var count = 0;
            for (var i = 0; i <= parts.Count; i++)
            {
                if (n < 0 || count < n)
                {
                    sb0.Append(newValue);
                    count++;
                }

                if (i < parts.Count)
                {
                    sb0.Append(parts[i]);
                }
            }

            return sb0.ToString();
        }

        if (n < 0)
        {
            return s.Replace(oldValue, newValue, StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        var index = 0;
        for (var count = 0; count < n; count++)
        {
            var next = s.IndexOf(oldValue, index, StringComparison.Ordinal);
            if (next < 0)
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

    private static bool IsSorted(IList list)
    {
        for (var i = 1; i < list.Count; i++)
        {
            if ((CelOperators.Compare(list[i - 1], list[i]) ?? throw NoOverload()) > 0)
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

        var total = list[0];
        for (var i = 1; i < list.Count; i++)
        {
            total = CelOperators.Add(total, list[i]);
            if (total is CelError error)
            {
                throw new CelEvaluationException(error.Message);
            }
        }

        return total;
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
            if ((CelOperators.Compare(list[i], best) ?? throw NoOverload()) * sign > 0)
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
            if (CelOperators.AreEqual(list[i], value))
            {
                return i;
            }
        }

        return -1;
    }

    private static List<object?> FindAll(string s, string pattern, long n)
    {
        var result = new List<object?>();
        if (n == 0)
        {
            return result;
        }

        foreach (System.Text.RegularExpressions.Match match in Regex(pattern).Matches(s))
        {
            result.Add(match.Value);
            if (n > 0 && result.Count >= n)
            {
                break;
            }
        }

        return result;
    }

    private static bool IsZero(object? value) => value switch
    {
        null => true,
        bool b => !b,
        long l => l == 0,
        ulong u => u == 0,
        double d => d == 0,
        string s => s.Length == 0,
        byte[] b => b.Length == 0,
        IList l => l.Count == 0,
        IDictionary m => m.Count == 0,
        TimeSpan d => d == TimeSpan.Zero,
        DateTimeOffset t => t == DateTimeOffset.UnixEpoch,
        _ => false,
    };
}
