using System.Collections;
using System.Text.RegularExpressions;

namespace OpenKbs.Aws.Audit;

/// <summary>
/// The sanitised details of an audit record, built field by field from an allowlist in each client operation (never from a raw
/// payload). Defence in depth: a field whose name looks like a secret is stored as <c>[redacted]</c>, and values are truncated.
/// Policy documents are summarised by length and SHA-256, not copied.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Named for its role in an audit record.")]
public sealed partial class AuditDetails : IReadOnlyDictionary<string, string>
{
    /// <summary>What a redacted value reads.</summary>
    public const string Redacted = "[redacted]";

    private const int MaxValueLength = 256;

    private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);

    public static AuditDetails Empty => new();

    public int Count => _values.Count;

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<string> Values => _values.Values;

    public string this[string key] => _values[key];

    /// <summary>Adds an allowlisted field; null values are skipped; secret-looking names are redacted.</summary>
    public AuditDetails Add(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (value is null)
        {
            return this;
        }

        _values[name] = IsSecretName(name) ? Redacted : Truncate(value);
        return this;
    }

    public AuditDetails Add(string name, bool? value) => value is null ? this : Add(name, value.Value ? "true" : "false");

    public AuditDetails Add(string name, int? value) =>
        value is null ? this : Add(name, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Adds a list of plain values (e.g. tag keys), comma-separated.</summary>
    public AuditDetails Add(string name, IEnumerable<string>? values) => values is null ? this : Add(name, string.Join(',', values));

    /// <summary>Summarises a document (policy) without copying it: <c>sha256:…; length N</c>.</summary>
    public AuditDetails AddDigest(string name, string? document)
    {
        if (document is null)
        {
            return this;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(document)));
        return Add(name, $"sha256:{hash[..16]}; length {document.Length}");
    }

    /// <summary>True for names that must never carry a value into a sink (password, secret, token, key material, credentials…).</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string Truncate(string value) => value.Length <= MaxValueLength ? value : value[..MaxValueLength] + "…";

    [GeneratedRegex(
        "password|passwd|secret|token|plaintext|ciphertext|credential|authorization|apikey|api_key|privatekey|private_key|connectionstring|sessionkey|otp",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
