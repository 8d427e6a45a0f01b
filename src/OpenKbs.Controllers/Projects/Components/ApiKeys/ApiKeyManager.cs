using System.Security.Cryptography;
using System.Text.Json;
using OpenKbs.Aws.Crypto;
using OpenKbs.Aws.Kms;

namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>
/// The AWS side of key staging (ACK's "sdk" layer): seals the staged keys with the project key and opens them again, through
/// KMS (<see cref="EnvelopeCipher"/>); no decisions. The Kubernetes side, the Secret the envelope is kept in, is
/// <see cref="IApiKeySecretStore"/>'s. Plaintext buffers are zeroed after use.
/// </summary>
internal sealed class ApiKeyManager(IKmsClient kms)
{
    /// <summary>The staged keys (name -> key) as one envelope under <paramref name="keyArn"/>, bound to <paramref name="encryptionContext"/>.</summary>
    public async Task<string> SealStagedAsync(
        string keyArn, IReadOnlyDictionary<string, string> staged, IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string>(staged.ToDictionary(k => k.Key, k => k.Value), StringComparer.Ordinal));
        try
        {
            return await EnvelopeCipher.SealAsync(kms, keyArn, payload, encryptionContext, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    /// <summary>The staged keys of an envelope, or null when it does not open (tampered with, or sealed for another owner or purpose).</summary>
    public async Task<IReadOnlyDictionary<string, string>?> OpenStagedAsync(
        string envelope, IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken)
    {
        byte[]? payload = null;
        try
        {
            payload = await EnvelopeCipher.OpenAsync(kms, envelope, encryptionContext, cancellationToken);
            return JsonSerializer.Deserialize<Dictionary<string, string>>(payload);
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            if (payload is not null)
            {
                CryptographicOperations.ZeroMemory(payload);
            }
        }
    }
}
