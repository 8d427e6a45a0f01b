using System.Text;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// cel.ValidFieldPath: a rule's fieldPath is a JSONPath of field (".a.b") and map-key ("['k']") accessors that must
/// exist in the schema. Returns the path rendered as a field path relative to the rule's node.
/// </summary>
internal static class RuleFieldPath
{
    public static string? Resolve(string jsonPath, SchemaNode schema, out string? error)
    {
        error = null;
        string? result = null;
        var node = schema;
        var i = 0;
        while (i < jsonPath.Length)
        {
            var c = jsonPath[i];
            string token;
            if (c == '.')
            {
                i++;
                var start = i;
                while (i < jsonPath.Length && jsonPath[i] is not ('.' or '['))
                {
                    i++;
                }

                token = jsonPath[start..i];
                if (token.Length == 0)
                {
                    error = "unexpected end of JSON path";
                    return null;
                }
            }
            else if (c == '[')
            {
                i++;
                if (i >= jsonPath.Length || jsonPath[i] != '\'')
                {
                    error = "expected single quoted string";
                    return null;
                }

                var sb = new StringBuilder();
                i++;
                while (i < jsonPath.Length && jsonPath[i] != '\'')
                {
                    if (jsonPath[i] == '\\' && i + 1 < jsonPath.Length)
                    {
                        i++;
                    }

                    sb.Append(jsonPath[i]);
                    i++;
                }

                if (i + 1 >= jsonPath.Length || jsonPath[i + 1] != ']')
                {
                    error = "unexpected end of JSON path";
                    return null;
                }

                i += 2;
                token = sb.ToString();
            }
            else
            {
                error = $"expected [ or . but got: {jsonPath[i..]}";
                return null;
            }

            if (node.Properties is not null)
            {
                if (node.Property(token) is not { } prop)
                {
                    error = "does not refer to a valid field";
                    return null;
                }

                result = FieldPaths.Child(result, token);
                node = prop;
            }
            else if (node.AdditionalProperties is { } additional)
            {
                result = FieldPaths.Key(result, token);
                node = additional;
            }
            else
            {
                error = "does not refer to a valid field";
                return null;
            }
        }

        return result;
    }
}
