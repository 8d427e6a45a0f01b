using System.Xml.Linq;

namespace OpenKbs.Aws.Protocols;

/// <summary>
/// Maps an XML element onto a record by member name (namespace-agnostic, as botocore does): scalars, nested structures,
/// wrapped lists (<c>&lt;Name&gt;&lt;member&gt;…</c>, or the <see cref="AwsListAttribute"/> item name) and flattened lists.
/// Used by awsQuery results and restXml bodies. Maps (<c>entry/key/value</c>) read into IReadOnlyDictionary&lt;string,string&gt;.
/// </summary>
internal static class XmlShapeReader
{
    public static T Read<T>(XElement? element)
        where T : new() =>
        element is null ? new T() : (T)Read(typeof(T), element)!;

    public static object? Read(Type type, XElement element)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(element);
        if (ShapeReflection.IsScalar(type))
        {
            return ShapeReflection.ParseScalar(type, element.Value);
        }

        var instance = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"Cannot create {type}.");
        foreach (var member in ShapeReflection.MembersOf(type))
        {
            if (!member.Property.CanWrite)
            {
                continue;
            }

            var value = ReadMember(element, member);
            if (value is not null)
            {
                member.Property.SetValue(instance, value);
            }
        }

        return instance;
    }

    private static object? ReadMember(XElement parent, ShapeMember member)
    {
        var type = member.Property.PropertyType;
        if (ShapeReflection.IsScalar(type))
        {
            var child = Child(parent, member.WireName);
            return child is null ? null : ShapeReflection.ParseScalar(type, child.Value);
        }

        if (ShapeReflection.IsDictionary(type))
        {
            var child = Child(parent, member.WireName);
            if (child is null)
            {
                return null;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in child.Elements().Where(e => e.Name.LocalName == "entry"))
            {
                var key = Child(entry, "key")?.Value;
                if (key is not null)
                {
                    map[key] = Child(entry, "value")?.Value ?? string.Empty;
                }
            }

            return map;
        }

        var itemType = ShapeReflection.ListItemType(type);
        if (itemType is not null)
        {
            IEnumerable<XElement> items;
            if (member.List?.Flattened == true)
            {
                var itemName = member.List.ItemName == "member" ? member.WireName : member.List.ItemName;
                items = parent.Elements().Where(e => e.Name.LocalName == itemName);
            }
            else
            {
                var wrapper = Child(parent, member.WireName);
                if (wrapper is null)
                {
                    return null;
                }

                var itemName = member.List?.ItemName ?? "member";
                items = wrapper.Elements().Where(e => e.Name.LocalName == itemName);
            }

            return ShapeReflection.BuildList(type, itemType, items.Select(e => Read(itemType, e)));
        }

        var nested = Child(parent, member.WireName);
        return nested is null ? null : Read(type, nested);
    }

    public static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>The first element named <paramref name="localName"/> at any depth (the root included).</summary>
    public static XElement? Find(XElement root, string localName) =>
        root.Name.LocalName == localName ? root : root.Descendants().FirstOrDefault(e => e.Name.LocalName == localName);
}
