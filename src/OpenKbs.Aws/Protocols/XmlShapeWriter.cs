using System.Xml.Linq;

namespace OpenKbs.Aws.Protocols;

/// <summary>
/// Writes a record as a restXml payload: members in declaration order (keep the model's order), nulls omitted, lists wrapped
/// (item name from <see cref="AwsListAttribute"/>, <c>member</c> by default) or flattened. Every element gets the document namespace.
/// </summary>
internal static class XmlShapeWriter
{
    public static XElement Write(object value, string rootName, string? xmlNamespace)
    {
        ArgumentNullException.ThrowIfNull(value);
        XNamespace ns = xmlNamespace ?? string.Empty;
        var root = new XElement(ns + rootName);
        WriteMembers(root, value, ns);
        return root;
    }

    public static byte[] ToBytes(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), element);
        using var stream = new MemoryStream();
        using (var writer = System.Xml.XmlWriter.Create(stream, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = false }))
        {
            document.Save(writer);
        }

        return stream.ToArray();
    }

    private static void WriteMembers(XElement target, object value, XNamespace ns)
    {
        foreach (var member in ShapeReflection.MembersOf(value.GetType()))
        {
            var memberValue = member.Property.GetValue(value);
            if (memberValue is null)
            {
                continue;
            }

            var type = member.Property.PropertyType;
            if (ShapeReflection.IsScalar(type))
            {
                target.Add(new XElement(ns + member.WireName, ShapeReflection.FormatScalar(memberValue)));
                continue;
            }

            var itemType = ShapeReflection.ListItemType(type);
            if (itemType is not null && !ShapeReflection.IsDictionary(type))
            {
                var items = ((System.Collections.IEnumerable)memberValue).Cast<object?>().Where(i => i is not null);
                if (member.List?.Flattened == true)
                {
                    var itemName = member.List.ItemName == "member" ? member.WireName : member.List.ItemName;
                    foreach (var item in items)
                    {
                        target.Add(WriteValue(ns + itemName, item!, ns));
                    }
                }
                else
                {
                    var wrapper = new XElement(ns + member.WireName);
                    var itemName = member.List?.ItemName ?? "member";
                    foreach (var item in items)
                    {
                        wrapper.Add(WriteValue(ns + itemName, item!, ns));
                    }

                    target.Add(wrapper);
                }

                continue;
            }

            target.Add(WriteValue(ns + member.WireName, memberValue, ns));
        }
    }

    private static XElement WriteValue(XName name, object value, XNamespace ns)
    {
        if (ShapeReflection.IsScalar(value.GetType()))
        {
            return new XElement(name, ShapeReflection.FormatScalar(value));
        }

        var element = new XElement(name);
        WriteMembers(element, value, ns);
        return element;
    }
}
