using System.Text;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// Kubernetes' escaping of property names into CEL identifiers (apiserver/pkg/cel.Escape): "__" becomes
/// "__underscores__", '.' "__dot__", '-' "__dash__", '/' "__slash__", and CEL reserved words "__word__".
/// </summary>
internal static class CelNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    };

    /// <summary>The escaped identifier, or null when the property name cannot be represented.</summary>
    public static string? Escape(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return null;
        }

        if (Reserved.Contains(name))
        {
            return "__" + name + "__";
        }

        var sb = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_' && i + 1 < name.Length && name[i + 1] == '_')
            {
                sb.Append("__underscores__");
                i++;
            }
            else if (c == '.')
            {
                sb.Append("__dot__");
            }
            else if (c == '-')
            {
                sb.Append("__dash__");
            }
            else if (c == '/')
            {
                sb.Append("__slash__");
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                sb.Append(c);
            }
            else
            {
                return null;
            }
        }

        return sb.ToString();
    }
}
