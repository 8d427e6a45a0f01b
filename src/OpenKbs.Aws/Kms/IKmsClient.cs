using OpenKbs.Aws.Kms.Model;

namespace OpenKbs.Aws.Kms;

/// <summary>
/// KMS through the official AWSSDK.KeyManagementService client, behind the same pipeline as every other client. Key ARNs are
/// checked by the EU guard. Plaintext byte arrays returned here belong to the caller, who zeroes them after use;
/// <see cref="Crypto.EnvelopeCipher"/> does envelope encryption on top.
/// </summary>
public interface IKmsClient
{
    Task<CreateKeyResponse> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default);

    Task<DescribeKeyResponse> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default);

    Task<CreateAliasResponse> CreateAliasAsync(CreateAliasRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every alias (all pages), or those of one key.</summary>
    Task<ListAliasesResponse> ListAliasesAsync(ListAliasesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at another key (a signing-key rotation switches its alias in one call).</summary>
    Task<UpdateAliasResponse> UpdateAliasAsync(UpdateAliasRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes an alias (never the key).</summary>
    Task<DeleteAliasResponse> DeleteAliasAsync(DeleteAliasRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every key of the account and region (all pages).</summary>
    Task<ListKeysResponse> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default);

    /// <summary>Soft delete: disables the key now and deletes it after the pending window (CancelKeyDeletion restores it until then).</summary>
    Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletionAsync(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default);

    Task<EnableKeyRotationResponse> EnableKeyRotationAsync(EnableKeyRotationRequest request, CancellationToken cancellationToken = default);

    Task<GetKeyRotationStatusResponse> GetKeyRotationStatusAsync(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default);

    /// <summary>The key's policy (the one named default).</summary>
    Task<GetKeyPolicyResponse> GetKeyPolicyAsync(GetKeyPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces the key's policy (the one named default); audited with the document's digest.</summary>
    Task<PutKeyPolicyResponse> PutKeyPolicyAsync(PutKeyPolicyRequest request, CancellationToken cancellationToken = default);

    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>The tags of a key (all pages).</summary>
    Task<ListResourceTagsResponse> ListResourceTagsAsync(ListResourceTagsRequest request, CancellationToken cancellationToken = default);

    /// <summary>A fresh data key: its plaintext (zero it after use) and its encryption under the KMS key.</summary>
    Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Encrypts up to 4096 bytes directly under the KMS key.</summary>
    Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default);

    /// <summary>Decrypts a ciphertext (the encryption context must match; InvalidCiphertextException otherwise).</summary>
    Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default);
}
