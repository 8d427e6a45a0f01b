using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Kms.Model;

namespace OpenKbs.Aws.Crypto;

/// <summary>
/// Envelope encryption for small sensitive values (connection details, API-key hashes for the functions): a fresh AES-256 data key
/// from KMS <c>GenerateDataKey</c> per envelope, AES-256-GCM over the payload with the encryption context as associated data, the
/// data key stored only encrypted under the KMS key with the same context (so KMS, too, refuses another owner's context), and the
/// plaintext data key zeroed as soon as it has been used. The envelope is versioned JSON, base64-encoded (one opaque token):
/// <c>{"v":1,"alg":"A256GCM","kid":KEY ARN,"dk":…,"iv":…,"ct":…,"tag":…}</c>.
/// </summary>
public static class EnvelopeCipher
{
    /// <summary>The envelope format version.</summary>
    public const int Version = 1;

    /// <summary>The payload algorithm.</summary>
    public const string Algorithm = "A256GCM";

    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> under a new data key of <paramref name="keyId"/>, bound to <paramref name="context"/>.</summary>
    /// <param name="kms">The KMS client of the account holding the key.</param>
    /// <param name="keyId">Key id, ARN or alias.</param>
    /// <param name="plaintext">The payload (the caller owns and zeroes it).</param>
    /// <param name="context">The encryption context, e.g. <see cref="EnvelopeContext.ForOwner"/>; needed again to open.</param>
    /// <param name="cancellationToken">Cancels the KMS call.</param>
    public static async Task<string> SealAsync(IKmsClient kms, string keyId, ReadOnlyMemory<byte> plaintext, IReadOnlyDictionary<string, string> context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kms);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(context);
        var dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = keyId, KeySpec = "AES_256", EncryptionContext = context }, cancellationToken);
        try
        {
            return Seal(dataKey.Plaintext, dataKey.CiphertextBlob, dataKey.KeyId ?? keyId, plaintext.Span, context);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey.Plaintext);
        }
    }

    /// <summary>Decrypts an envelope made by <see cref="SealAsync"/>; the caller owns the result and zeroes it after use.</summary>
    /// <exception cref="CryptographicException">The envelope is malformed, tampered with, or bound to another context.</exception>
    /// <exception cref="Core.AwsServiceException">KMS refused (e.g. InvalidCiphertextException for another context).</exception>
    public static async Task<byte[]> OpenAsync(IKmsClient kms, string envelope, IReadOnlyDictionary<string, string> context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kms);
        ArgumentNullException.ThrowIfNull(context);
        var parsed = Parse(envelope);
        var dataKey = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = parsed.EncryptedKey, KeyId = parsed.KeyId, EncryptionContext = context }, cancellationToken);
        try
        {
            return Open(dataKey.Plaintext, parsed, context);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey.Plaintext);
        }
    }

    /// <summary>The KMS key an envelope was sealed under (no decryption), e.g. to check it belongs to the expected account.</summary>
    public static string KeyIdOf(string envelope) => Parse(envelope).KeyId;

    /// <summary>Seals with a given data key (zeroed here once used).</summary>
    internal static string Seal(byte[] dataKey, byte[] encryptedKey, string keyId, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string> context)
    {
        try
        {
            if (dataKey.Length != KeyBytes)
            {
                throw new CryptographicException($"The data key must be {KeyBytes} bytes.");
            }

            var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[TagBytes];
            using (var aes = new AesGcm(dataKey, TagBytes))
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(context));
            }

            var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["v"] = Version,
                ["alg"] = Algorithm,
                ["kid"] = keyId,
                ["dk"] = Convert.ToBase64String(encryptedKey),
                ["iv"] = Convert.ToBase64String(nonce),
                ["ct"] = Convert.ToBase64String(ciphertext),
                ["tag"] = Convert.ToBase64String(tag),
            });
            return Convert.ToBase64String(json);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Opens with a given (decrypted) data key (zeroed here once used).</summary>
    internal static byte[] Open(byte[] dataKey, Envelope envelope, IReadOnlyDictionary<string, string> context)
    {
        try
        {
            if (dataKey.Length != KeyBytes)
            {
                throw new CryptographicException($"The data key must be {KeyBytes} bytes.");
            }

            var plaintext = new byte[envelope.Ciphertext.Length];
            using var aes = new AesGcm(dataKey, TagBytes);
            aes.Decrypt(envelope.Nonce, envelope.Ciphertext, envelope.Tag, plaintext, AssociatedData(context));
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    internal static Envelope Parse(string envelope)
    {
        ArgumentException.ThrowIfNullOrEmpty(envelope);
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(envelope));
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() != Version || root.GetProperty("alg").GetString() != Algorithm)
            {
                throw new CryptographicException("Unsupported envelope version or algorithm.");
            }

            var parsed = new Envelope(
                root.GetProperty("kid").GetString() ?? throw new CryptographicException("The envelope names no key."),
                Convert.FromBase64String(root.GetProperty("dk").GetString() ?? string.Empty),
                Convert.FromBase64String(root.GetProperty("iv").GetString() ?? string.Empty),
                Convert.FromBase64String(root.GetProperty("ct").GetString() ?? string.Empty),
                Convert.FromBase64String(root.GetProperty("tag").GetString() ?? string.Empty));
            if (parsed.Nonce.Length != NonceBytes || parsed.Tag.Length != TagBytes || parsed.EncryptedKey.Length == 0)
            {
                throw new CryptographicException("The envelope is malformed.");
            }

            return parsed;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CryptographicException("The envelope is malformed.", e);
        }
    }

    /// <summary>The context as associated data: <c>key=value</c> lines in ordinal key order (the same bytes on every platform).</summary>
    internal static byte[] AssociatedData(IReadOnlyDictionary<string, string> context)
    {
        var builder = new StringBuilder("openkbs-envelope-v1\n");
        foreach (var (key, value) in context.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(key.Length).Append(':').Append(key).Append('=').Append(value.Length).Append(':').Append(value).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>A parsed envelope.</summary>
    internal sealed record Envelope(string KeyId, byte[] EncryptedKey, byte[] Nonce, byte[] Ciphertext, byte[] Tag);
}
