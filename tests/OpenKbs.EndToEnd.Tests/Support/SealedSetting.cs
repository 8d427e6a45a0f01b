using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>
/// Opens a sealed function setting (e.g. <c>OPENKBS_API_KEYS</c>) the way a function would, independently of the operator's code:
/// the envelope format of docs/aws.md (base64 JSON <c>{"v":1,"alg":"A256GCM","kid","dk","iv","ct","tag"}</c>), the data key
/// decrypted by <c>aws kms decrypt</c> in the client account with the encryption context, AES-256-GCM with the context as
/// associated data, then gzip.
/// </summary>
internal static class SealedSetting
{
    public static async Task<JsonElement> OpenAsync(AccountSession session, string envelope, IReadOnlyDictionary<string, string> context, string workDirectory)
    {
        using var parsed = JsonDocument.Parse(Convert.FromBase64String(envelope));
        var root = parsed.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal("A256GCM", root.GetProperty("alg").GetString());
        var blob = Path.Combine(workDirectory, "dk-" + Guid.NewGuid().ToString("N")[..8] + ".bin");
        await File.WriteAllBytesAsync(blob, Convert.FromBase64String(root.GetProperty("dk").GetString()!));
        var decrypted = await session.JsonAsync("kms", "decrypt", "--ciphertext-blob", "fileb://" + blob,
            "--key-id", root.GetProperty("kid").GetString()!, "--encryption-context", JsonSerializer.Serialize(context));
        var dataKey = Convert.FromBase64String(decrypted.GetProperty("Plaintext").GetString()!);

        var ciphertext = Convert.FromBase64String(root.GetProperty("ct").GetString()!);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(dataKey, 16))
        {
            aes.Decrypt(
                Convert.FromBase64String(root.GetProperty("iv").GetString()!),
                ciphertext,
                Convert.FromBase64String(root.GetProperty("tag").GetString()!),
                plaintext,
                AssociatedData(context));
        }

        using var gzip = new GZipStream(new MemoryStream(plaintext), CompressionMode.Decompress);
        using var json = await JsonDocument.ParseAsync(gzip);
        return json.RootElement.Clone();
    }

    /// <summary>The SHA-256 hashes (hex) of the API keys a function accepts, from its opened <c>OPENKBS_API_KEYS</c>.</summary>
    public static IReadOnlyList<string> AcceptedKeyHashes(JsonElement payload) =>
        [.. payload.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("sha256").GetString()!)];

    /// <summary>The key hashes every function of <paramref name="project"/> accepts (they must agree), opened in the client account.</summary>
    public static async Task<IReadOnlyList<string>> AcceptedKeyHashesAsync(AccountSession client, Project project, string workDirectory)
    {
        var context = new Dictionary<string, string>
        {
            ["openkbs.com/owner"] = $"{project.Metadata.NamespaceProperty}/Project/{project.Metadata.Name}",
            ["openkbs.com/uid"] = project.Metadata.Uid,
            ["openkbs.com/purpose"] = "OPENKBS_API_KEYS",
        };
        IReadOnlyList<string>? accepted = null;
        foreach (var function in project.Status!.Functions!)
        {
            var variables = (await client.JsonAsync("lambda", "get-function-configuration", "--function-name", function.Arn!)).GetProperty("Environment").GetProperty("Variables");
            var hashes = AcceptedKeyHashes(await OpenAsync(client, variables.GetProperty("OPENKBS_API_KEYS").GetString()!, context, workDirectory));
            Assert.True(accepted is null || accepted.Order().SequenceEqual(hashes.Order()), $"functions disagree on the accepted keys: {function.Name}");
            accepted = hashes;
        }

        return accepted ?? [];
    }

    /// <summary>The plaintext key handed over in the project's Secret <c>{project}-api-keys</c>.</summary>
    public static async Task<string> HandedOverKeyAsync(IKubernetes client, string ns, string project, string key)
    {
        var secret = await client.CoreV1.ReadNamespacedSecretAsync($"{project}-api-keys", ns);
        return Encoding.UTF8.GetString(secret.Data[key]);
    }

    public static string Sha256Hex(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))).ToLowerInvariant();

    private static byte[] AssociatedData(IReadOnlyDictionary<string, string> context)
    {
        var builder = new StringBuilder("openkbs-envelope-v1\n");
        foreach (var (key, value) in context.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(key.Length).Append(':').Append(key).Append('=').Append(value.Length).Append(':').Append(value).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
