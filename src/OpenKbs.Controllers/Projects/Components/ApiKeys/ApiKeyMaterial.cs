using System.Security.Cryptography;
using System.Text;

namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>API keys: 256 random bits (<c>okbs_</c> + base64url), their SHA-256 (hex) and a short fingerprint (12 hex).</summary>
internal static class ApiKeyMaterial
{
    public const string Prefix = "okbs_";

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Fingerprint(string sha256) => sha256[..12];
}
