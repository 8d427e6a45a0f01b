using System.Text;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Aws.Credentials;

/// <summary>STS role session names: <c>{prefix}-{namespace}-{name}</c>, reduced to AWS's <c>[\w+=,.@-]{2,64}</c>.</summary>
public static class SessionNames
{
    public const int MaxLength = 64;

    public static string For(string prefix, AwsActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Sanitize($"{prefix}-{actor.Namespace}-{actor.Name}");
    }

    /// <summary>Replaces every character outside <c>[A-Za-z0-9_+=,.@-]</c> with '-', truncates to 64, pads to 2.</summary>
    public static string Sanitize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(Math.Min(value.Length, MaxLength));
        foreach (var c in value)
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            builder.Append(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '+' or '=' or ',' or '.' or '@' or '-' ? c : '-');
        }

        while (builder.Length < 2)
        {
            builder.Append('-');
        }

        return builder.ToString();
    }
}
