using System.Security.Cryptography;
using System.Text;

namespace OpenKbs.Audit.Secrets;

/// <summary>
/// What may be said about a secret's value: a mask and a fingerprint, never the value. The fingerprint is the first 16
/// hex characters of SHA-256("openkbs/secret/v1\n" + value): the same value gives the same fingerprint in every run and
/// file (so a leak can be tracked and a rotated key told apart), and the prefix is not reversible for a random secret.
/// A short human-chosen password can still be guessed by trying candidates against it, as with any hash.
/// </summary>
public static class SecretValue
{
    /// <summary>The fingerprint of a value, "sha256:" and 16 hex characters.</summary>
    public static string Fingerprint(string value) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("openkbs/secret/v1\n" + value)))[..16];

    /// <summary>
    /// A mask: the rule's public prefix (e.g. "AKIA", "ghp_", which says what kind of key it is and nothing of the key)
    /// when the value starts with it, then asterisks, then the length. Never any other character of the value.
    /// </summary>
    public static string Mask(string value, string? publicPrefix = null)
    {
        var prefix = publicPrefix is not null && value.Length > publicPrefix.Length + 8 && value.StartsWith(publicPrefix, StringComparison.Ordinal)
            ? publicPrefix
            : string.Empty;
        return $"{prefix}****[{value.Length} chars, {Fingerprint(value)}]";
    }

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        var entropy = 0.0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / value.Length;
            entropy -= p * Math.Log2(p);
        }

        return entropy;
    }
}
