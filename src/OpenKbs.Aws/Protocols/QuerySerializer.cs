using System.Collections;

namespace OpenKbs.Aws.Protocols;

/// <summary>
/// awsQuery parameter serialization (botocore QuerySerializer): nested structures as <c>Parent.Child</c>, lists as
/// <c>Name.member.N</c> (N from 1; the item name from <see cref="AwsListAttribute"/>, e.g. RDS <c>Tags.Tag.1.Key</c>), flattened
/// lists as <c>Name.N</c>, an empty list as a bare <c>Name=</c>, maps as <c>Name.entry.N.key/value</c>, booleans as true/false,
/// timestamps as ISO-8601.
/// </summary>
internal static class QuerySerializer
{
    public static void Write(object? input, IList<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (input is not null)
        {
            WriteStructure(input, prefix: string.Empty, parameters);
        }
    }

    private static void WriteStructure(object value, string prefix, IList<KeyValuePair<string, string>> parameters)
    {
        foreach (var member in ShapeReflection.MembersOf(value.GetType()))
        {
            var memberValue = member.Property.GetValue(value);
            if (memberValue is null)
            {
                continue;
            }

            var name = prefix.Length == 0 ? member.WireName : $"{prefix}.{member.WireName}";
            WriteValue(memberValue, name, member.List, parameters);
        }
    }

    private static void WriteValue(object value, string name, AwsListAttribute? list, IList<KeyValuePair<string, string>> parameters)
    {
        var type = value.GetType();
        if (ShapeReflection.IsScalar(type))
        {
            parameters.Add(new(name, ShapeReflection.FormatScalar(value)));
            return;
        }

        if (value is IDictionary dictionary)
        {
            var index = 1;
            foreach (DictionaryEntry entry in dictionary)
            {
                parameters.Add(new($"{name}.entry.{index}.key", ShapeReflection.FormatScalar(entry.Key)));
                if (entry.Value is not null)
                {
                    parameters.Add(new($"{name}.entry.{index}.value", ShapeReflection.FormatScalar(entry.Value)));
                }

                index++;
            }

            return;
        }

        if (value is IEnumerable enumerable && ShapeReflection.ListItemType(type) is not null)
        {
            var items = enumerable.Cast<object?>().Where(i => i is not null).ToList();
            if (items.Count == 0)
            {
                parameters.Add(new(name, string.Empty));
                return;
            }

            var itemPrefix = list?.Flattened == true ? name : $"{name}.{list?.ItemName ?? "member"}";
            for (var i = 0; i < items.Count; i++)
            {
                WriteValue(items[i]!, $"{itemPrefix}.{i + 1}", list: null, parameters);
            }

            return;
        }

        WriteStructure(value, name, parameters);
    }
}
