using System.Collections;
using System.Globalization;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// CEL's operators over the evaluator's values (long, ulong, double, string, bool, byte[], DateTimeOffset, TimeSpan,
/// IList, IDictionary, null): strict arithmetic types with overflow errors, heterogeneous numeric equality and
/// ordering, map and list indexing with cel-go's error texts.
/// </summary>
internal static class CelOperators
{
    public static object? Add(object? a, object? b)
    {
        try
        {
            return (a, b) switch
            {
                (long x, long y) => (object)(checked(x + y)),
                (ulong x, ulong y) => (object)(checked(x + y)),
                (double x, double y) => (object)(x + y),
                (string x, string y) => x + y,
                (byte[] x, byte[] y) => x.Concat(y).ToArray(),
                (IList x, IList y) => Concat(x, y),
                (DateTimeOffset t, TimeSpan d) => t + d,
                (TimeSpan d, DateTimeOffset t) => t + d,
                (TimeSpan x, TimeSpan y) => x + y,
                _ => CelError.NoSuchOverload,
            };
        }
        catch (OverflowException)
        {
            return new CelError("integer overflow");
        }
    }

    public static object? Subtract(object? a, object? b)
    {
        try
        {
            return (a, b) switch
            {
                (long x, long y) => (object)(checked(x - y)),
                (ulong x, ulong y) => (object)(checked(x - y)),
                (double x, double y) => (object)(x - y),
                (DateTimeOffset x, DateTimeOffset y) => x - y,
                (DateTimeOffset t, TimeSpan d) => t - d,
                (TimeSpan x, TimeSpan y) => x - y,
                _ => CelError.NoSuchOverload,
            };
        }
        catch (OverflowException)
        {
            return new CelError("integer overflow");
        }
    }

    public static object? Multiply(object? a, object? b)
    {
        try
        {
            return (a, b) switch
            {
                (long x, long y) => (object)(checked(x * y)),
                (ulong x, ulong y) => (object)(checked(x * y)),
                (double x, double y) => (object)(x * y),
                _ => CelError.NoSuchOverload,
            };
        }
        catch (OverflowException)
        {
            return new CelError("integer overflow");
        }
    }

    public static object? Divide(object? a, object? b) => (a, b) switch
    {
        (long, 0L) or (ulong, 0UL) => new CelError("division by zero"),
        (long x, long y) when x == long.MinValue && y == -1 => new CelError("integer overflow"),
        (long x, long y) => (object)(x / y),
        (ulong x, ulong y) => (object)(x / y),
        (double x, double y) => (object)(x / y),
        _ => CelError.NoSuchOverload,
    };

    public static object? Modulo(object? a, object? b) => (a, b) switch
    {
        (long, 0L) or (ulong, 0UL) => new CelError("modulus by zero"),
        (long x, long y) when x == long.MinValue && y == -1 => new CelError("integer overflow"),
        (long x, long y) => (object)(x % y),
        (ulong x, ulong y) => (object)(x % y),
        _ => CelError.NoSuchOverload,
    };

    public static object? Negate(object? a) => a switch
    {
        long x when x == long.MinValue => new CelError("integer overflow"),
        long x => (object)(-x),
        double x => (object)(-x),
        TimeSpan x => (object)(-x),
        _ => CelError.NoSuchOverload,
    };

    public static object? Not(object? a) => a is bool b ? !b : CelError.NoSuchOverload;

    /// <summary>CEL equality: numbers compare by value across int/uint/double, lists and maps element-wise.</summary>
    public static bool AreEqual(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return CompareNumbers(a, b) == 0;
        }

        switch (a, b)
        {
            case (string x, string y):
                return string.Equals(x, y, StringComparison.Ordinal);
            case (bool x, bool y):
                return x == y;
            case (byte[] x, byte[] y):
                return x.AsSpan().SequenceEqual(y);
            case (IList x, IList y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!AreEqual(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (IDictionary x, IDictionary y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                foreach (DictionaryEntry entry in x)
                {
                    if (!TryGet(y, entry.Key, out var other) || !AreEqual(entry.Value, other))
                    {
                        return false;
                    }
                }

                return true;
            case (CelOptional x, CelOptional y):
                return x.HasValue == y.HasValue && (!x.HasValue || AreEqual(x.Value, y.Value));
            default:
                return a.Equals(b);
        }
    }

    /// <summary>Ordering for &lt; &lt;= &gt; &gt;=: numbers (across types), strings, bytes, bools, timestamps, durations.</summary>
    public static int? Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return CompareNumbers(a!, b!);
        }

        return (a, b) switch
        {
            (string x, string y) => Math.Sign(string.CompareOrdinal(x, y)),
            (bool x, bool y) => x.CompareTo(y),
            (byte[] x, byte[] y) => Math.Sign(x.AsSpan().SequenceCompareTo(y)),
            (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
            (TimeSpan x, TimeSpan y) => x.CompareTo(y),
            _ => null,
        };
    }

    public static object? In(object? element, object? container) => container switch
    {
        IList list => list.Cast<object?>().Any(item => AreEqual(item, element)),
        IDictionary map => TryGet(map, element, out _),
        _ => CelError.NoSuchOverload,
    };

    public static object? Index(object? target, object? key) => target switch
    {
        IList list => ListIndex(list, key),
        IDictionary map => TryGet(map, key, out var value) ? value : new CelError($"no such key: {KeyText(key)}"),
        _ => CelError.NoSuchOverload,
    };

    /// <summary>Field selection on an object or a map.</summary>
    public static object? Select(object? target, string field) => target switch
    {
        IDictionary map => TryGet(map, field, out var value) ? value : new CelError($"no such key: {field}"),
        _ => new CelError($"type '{CelTypeValue.Of(target).Name}' does not support field selection"),
    };

    public static object? Has(object? target, string field) => target switch
    {
        IDictionary map => TryGet(map, field, out _),
        _ => new CelError($"invalid type for field selection."),
    };

    public static bool TryGet(IDictionary map, object? key, out object? value)
    {
        value = null;
        if (key is null)
        {
            return false;
        }

        if (map is IDictionary<string, object?> strings)
        {
            return key is string s && strings.TryGetValue(s, out value);
        }

        foreach (DictionaryEntry entry in map)
        {
            if (AreEqual(entry.Key, key))
            {
                value = entry.Value;
                return true;
            }
        }

        return false;
    }

    public static bool IsNumber(object? value) => value is long or ulong or double or int;

    private static int CompareNumbers(object a, object b)
    {
        if (a is double || b is double)
        {
            var x = ToDouble(a);
            var y = ToDouble(b);
            return x < y ? -1 : x > y ? 1 : 0;
        }

        if (a is ulong ua && b is ulong ub)
        {
            return ua.CompareTo(ub);
        }

        if (a is ulong u1)
        {
            var l = Convert.ToInt64(b, CultureInfo.InvariantCulture);
            return l < 0 ? 1 : u1.CompareTo((ulong)l);
        }

        if (b is ulong u2)
        {
            var l = Convert.ToInt64(a, CultureInfo.InvariantCulture);
            return l < 0 ? -1 : ((ulong)l).CompareTo(u2);
        }

        return Convert.ToInt64(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(b, CultureInfo.InvariantCulture));
    }

    private static double ToDouble(object value) => value switch
    {
        double d => d,
        long l => l,
        ulong u => u,
        int i => i,
        _ => double.NaN,
    };

    private static object? ListIndex(IList list, object? key)
    {
        long index;
        switch (key)
        {
            case long l:
                index = l;
                break;
            case ulong u when u <= long.MaxValue:
                index = (long)u;
                break;
            case double d when Math.Truncate(d) == d:
                index = (long)d;
                break;
            default:
                return CelError.NoSuchOverload;
        }

        return index >= 0 && index < list.Count ? list[(int)index] : new CelError($"index out of bounds: {index}");
    }

    private static List<object?> Concat(IList x, IList y)
    {
        var result = new List<object?>(x.Count + y.Count);
        result.AddRange(x.Cast<object?>());
        result.AddRange(y.Cast<object?>());
        return result;
    }

    private static string KeyText(object? key) => key switch
    {
        string s => s,
        null => "null",
        _ => Convert.ToString(key, CultureInfo.InvariantCulture) ?? "",
    };
}
