using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OpenKbs.Api.Crds;

/// <summary>
/// The XML documentation comments of an assembly (the <c>.xml</c> file the compiler writes next to it), rendered as
/// plain text for CRD descriptions: whitespace collapsed, <c>&lt;c&gt;</c> as backticks, <c>&lt;see&gt;</c> as the
/// simple name, <c>&lt;para&gt;</c> as a blank line.
/// </summary>
internal sealed partial class XmlDocumentation
{
    private const char ParagraphBreak = '\u2029';
    private readonly Dictionary<string, string> _summaries;

    private XmlDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    /// <summary>Reads the documentation file next to <paramref name="assembly"/>; fails when it is missing.</summary>
    public static XmlDocumentation For(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The XML documentation of {assembly.GetName().Name} was not found at '{path}'. CRD descriptions come from it: " +
                "build with GenerateDocumentationFile=true and keep the .xml file next to the assembly.");
        }

        return Parse(XDocument.Load(path));
    }

    public static XmlDocumentation Parse(XDocument document)
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in document.Descendants("member"))
        {
            var name = member.Attribute("name")?.Value;
            var summary = member.Element("summary");
            if (name is null || summary is null)
            {
                continue;
            }

            var text = Render(summary);
            if (text.Length > 0)
            {
                summaries[name] = text;
            }
        }

        return new XmlDocumentation(summaries);
    }

    public string? Summary(Type type) => _summaries.GetValueOrDefault("T:" + TypeId(type));

    public string? Summary(PropertyInfo property) =>
        _summaries.GetValueOrDefault("P:" + TypeId(property.DeclaringType!) + "." + property.Name);

    private static string TypeId(Type type)
    {
        if (type.IsGenericType)
        {
            type = type.GetGenericTypeDefinition();
        }

        return type.FullName!.Replace('+', '.');
    }

    private static string Render(XElement element)
    {
        var builder = new StringBuilder();
        Append(builder, element);
        var paragraphs = builder.ToString()
            .Split(ParagraphBreak)
            .Select(p => Whitespace().Replace(p, " ").Trim())
            .Where(p => p.Length > 0);
        return string.Join("\n\n", paragraphs);
    }

    private static void Append(StringBuilder builder, XElement element)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    builder.Append(text.Value);
                    break;
                case XElement { Name.LocalName: "c" } code:
                    builder.Append('`').Append(code.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    builder.Append(SeeText(see));
                    break;
                case XElement { Name.LocalName: "para" } para:
                    builder.Append(ParagraphBreak);
                    Append(builder, para);
                    builder.Append(ParagraphBreak);
                    break;
                case XElement other:
                    Append(builder, other);
                    break;
            }
        }
    }

    private static string SeeText(XElement see)
    {
        if (see.Value.Length > 0)
        {
            return see.Value;
        }

        if (see.Attribute("langword")?.Value is { } word)
        {
            return word;
        }

        var cref = see.Attribute("cref")?.Value ?? see.Attribute("href")?.Value ?? string.Empty;
        var name = cref.Contains(':', StringComparison.Ordinal) ? cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..] : cref;
        return name[(name.LastIndexOf('.') + 1)..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
