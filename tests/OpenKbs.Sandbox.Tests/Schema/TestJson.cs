using System.Globalization;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>YAML fixtures as JSON nodes (plain scalars typed like Kubernetes' YAML decoder) and schema helpers.</summary>
internal static class TestJson
{
    public static JsonNode? Yaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    public static JsonObject Object(string yaml) => (JsonObject)Yaml(yaml)!;

    public static List<JsonObject> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => Convert(d.RootNode)).OfType<JsonObject>().ToList();
    }

    /// <summary>Compiles a schema given as the YAML of openAPIV3Schema.</summary>
    public static CrdSchema Schema(string yaml, CrdSchemaOptions? options = null) => CrdSchema.Compile(Yaml(yaml)!, options);

    /// <summary>The error messages of a compile failure (or an empty list when it compiles).</summary>
    public static List<string> CompileErrors(string yaml)
    {
        try
        {
            Schema(yaml);
            return [];
        }
        catch (CrdSchemaException ex)
        {
            return ex.Errors.Select(e => e.ToString()).ToList();
        }
    }

    public static List<string> Messages(IEnumerable<FieldError> errors) => errors.Select(e => e.ToString()).ToList();

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Convert(p.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonNode.Parse(l.ToString(CultureInfo.InvariantCulture));
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && value.Any(char.IsAsciiDigit))
        {
            return JsonNode.Parse(value.StartsWith('.') ? "0" + value : value.StartsWith("-.", StringComparison.Ordinal) ? "-0" + value[1..] : value);
        }

        return JsonValue.Create(value);
    }
}
