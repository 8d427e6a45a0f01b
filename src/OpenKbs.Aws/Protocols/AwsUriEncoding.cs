using System.Text;

namespace OpenKbs.Aws.Protocols;

/// <summary>RFC 3986 percent-encoding as AWS expects it: only A-Z a-z 0-9 - _ . ~ stay literal; a space is %20.</summary>
internal static class AwsUriEncoding
{
    /// <summary>Encodes a query key or value, or a non-greedy path label (a '/' becomes %2F, a ':' in an ARN becomes %3A).</summary>
    public static string Encode(string value) => Encode(value, keepSlash: false);

    /// <summary>Encodes a greedy path label (<c>{Key+}</c>): '/' stays literal.</summary>
    public static string EncodeGreedy(string value) => Encode(value, keepSlash: true);

    private static string Encode(string value, bool keepSlash)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
