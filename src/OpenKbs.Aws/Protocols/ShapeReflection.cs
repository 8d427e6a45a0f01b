using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace OpenKbs.Aws.Protocols;

/// <summary>Reflection helpers shared by the XML and Query (de)serializers: which properties form the wire shape and how scalars are written.</summary>
internal static class ShapeReflection
{
    private static readonly ConcurrentDictionary<Type, ShapeMember[]> Members = new();

    public static IReadOnlyList<ShapeMember> MembersOf(Type type) => Members.GetOrAdd(type, static t =>
    [
        .. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<AwsIgnoreAttribute>() is null
                && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.CanRead)
            .Select(p => new ShapeMember(
                p,
                p.GetCustomAttribute<AwsNameAttribute>()?.Name ?? p.Name,
                p.GetCustomAttribute<AwsListAttribute>())),
    ]);

    public static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t.IsPrimitive || t == typeof(decimal) || t == typeof(DateTimeOffset) || t == typeof(DateTime)
            || t == typeof(byte[]) || t.IsEnum;
    }

    public static Type? ListItemType(Type type)
    {
        if (type == typeof(string) || type == typeof(byte[]))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType && IsDictionary(type))
        {
            return null;
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    public static bool IsDictionary(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type)
        || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || type.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
        || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));

    public static string FormatScalar(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateTime d => d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static object? ParseScalar(Type type, string text)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
        {
            return text;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (t == typeof(bool))
        {
            return string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
        }

        if (t == typeof(DateTimeOffset))
        {
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        if (t == typeof(DateTime))
        {
            return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        }

        if (t == typeof(byte[]))
        {
            return Convert.FromBase64String(text);
        }

        if (t.IsEnum)
        {
            return Enum.Parse(t, text, ignoreCase: true);
        }

        return Convert.ChangeType(text, t, CultureInfo.InvariantCulture);
    }

    /// <summary>Builds a collection of <paramref name="listType"/> from items (List&lt;T&gt; for interfaces, T[] for arrays).</summary>
    public static object BuildList(Type listType, Type itemType, IEnumerable<object?> items)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
        foreach (var item in items)
        {
            list.Add(item);
        }

        if (listType.IsArray)
        {
            var array = Array.CreateInstance(itemType, list.Count);
            list.CopyTo(array, 0);
            return array;
        }

        return list;
    }
}

/// <summary>One wire member of a shape.</summary>
internal sealed record ShapeMember(PropertyInfo Property, string WireName, AwsListAttribute? List);
