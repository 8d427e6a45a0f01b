using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Pipeline;
using Sdk = Amazon.KeyManagementService.Model;

namespace OpenKbs.Aws.Kms;

/// <summary>
/// KMS over the official AWSSDK.KeyManagementService client, every call through <see cref="AwsRequestPipeline.InvokeSdkAsync{T}"/>.
/// GenerateDataKey, Encrypt and Decrypt change nothing in AWS and are not audited; the SDK's plaintext buffers are copied out
/// and zeroed at once, and no plaintext or ciphertext ever reaches a log or the audit trail.
/// </summary>
internal sealed class KmsClient : IKmsClient
{
    private static readonly AwsService Service = AwsServices.Kms;

    // Dependent action: a key created with tags needs kms:TagResource. CreateAlias is authorized on the alias and on the key.
    internal static readonly AwsOperation CreateKey = AwsOperation.Write(Service, nameof(CreateKey)) with { Iam = ["kms:CreateKey", "kms:TagResource"] };
    internal static readonly AwsOperation DescribeKey = AwsOperation.Read(Service, nameof(DescribeKey));
    internal static readonly AwsOperation CreateAlias = AwsOperation.Write(Service, nameof(CreateAlias));
    internal static readonly AwsOperation ListAliases = AwsOperation.Read(Service, nameof(ListAliases));
    internal static readonly AwsOperation UpdateAlias = AwsOperation.Write(Service, nameof(UpdateAlias));
    internal static readonly AwsOperation DeleteAlias = AwsOperation.Write(Service, nameof(DeleteAlias));
    internal static readonly AwsOperation ListKeys = AwsOperation.Read(Service, nameof(ListKeys));
    internal static readonly AwsOperation ScheduleKeyDeletion = AwsOperation.Write(Service, nameof(ScheduleKeyDeletion));
    internal static readonly AwsOperation EnableKeyRotation = AwsOperation.Write(Service, nameof(EnableKeyRotation));
    internal static readonly AwsOperation GetKeyRotationStatus = AwsOperation.Read(Service, nameof(GetKeyRotationStatus));
    internal static readonly AwsOperation GetKeyPolicy = AwsOperation.Read(Service, nameof(GetKeyPolicy));
    internal static readonly AwsOperation PutKeyPolicy = AwsOperation.Write(Service, nameof(PutKeyPolicy));
    internal static readonly AwsOperation TagResource = AwsOperation.Write(Service, nameof(TagResource));
    internal static readonly AwsOperation ListResourceTags = AwsOperation.Read(Service, nameof(ListResourceTags));
    internal static readonly AwsOperation GenerateDataKey = AwsOperation.Read(Service, nameof(GenerateDataKey));
    internal static readonly AwsOperation Encrypt = AwsOperation.Read(Service, nameof(Encrypt));
    internal static readonly AwsOperation Decrypt = AwsOperation.Read(Service, nameof(Decrypt));

    private readonly AwsRequestPipeline _pipeline;
    private readonly AwsCallScope _scope;
    private readonly ScopedSdkClient<AmazonKeyManagementServiceClient> _client;

    public KmsClient(AwsRequestPipeline pipeline, AwsCallScope scope, AwsSdkClientConfig sdkConfig)
    {
        _pipeline = pipeline;
        _scope = scope;
        _client = new ScopedSdkClient<AmazonKeyManagementServiceClient>(
            scope,
            credentials => new AmazonKeyManagementServiceClient(credentials, sdkConfig.Apply(new AmazonKeyManagementServiceConfig(), Service, scope.Region)));
    }

    public async Task<CreateKeyResponse> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sdk = new Sdk.CreateKeyRequest
        {
            Description = request.Description,
            Policy = request.Policy,
            Tags = request.Tags is null ? null : [.. request.Tags.Select(t => new Sdk.Tag { TagKey = t.TagKey, TagValue = t.TagValue })],
        };
        if (request.KeySpec is not null)
        {
            sdk.KeySpec = new KeySpec(request.KeySpec);
        }

        if (request.KeyUsage is not null)
        {
            sdk.KeyUsage = new KeyUsageType(request.KeyUsage);
        }

        var response = await CallAsync(
            CreateKey,
            (c, t) => c.CreateKeyAsync(sdk, t),
            Audit(
                null,
                d => d.Add("Description", request.Description).Add("KeySpec", request.KeySpec).Add("KeyUsage", request.KeyUsage)
                    .AddDigest("Policy", request.Policy).Add("TagKeys", request.Tags?.Select(t => t.TagKey ?? string.Empty))),
            cancellationToken,
            resourceFromResult: r => r.KeyMetadata?.Arn);
        return new CreateKeyResponse { KeyMetadata = Map(response.KeyMetadata) };
    }

    public async Task<DescribeKeyResponse> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(DescribeKey, (c, t) => c.DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = request.KeyId }, t), null, cancellationToken, [request.KeyId]);
        return new DescribeKeyResponse { KeyMetadata = Map(response.KeyMetadata) };
    }

    public async Task<CreateAliasResponse> CreateAliasAsync(CreateAliasRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            CreateAlias,
            (c, t) => c.CreateAliasAsync(new Sdk.CreateAliasRequest { AliasName = request.AliasName, TargetKeyId = request.TargetKeyId }, t),
            Audit(AliasArn(request.AliasName), d => d.Add("TargetKeyId", request.TargetKeyId)),
            cancellationToken,
            [request.TargetKeyId]);
        return new CreateAliasResponse();
    }

    public async Task<ListAliasesResponse> ListAliasesAsync(ListAliasesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListAliases.Name,
            marker => CallAsync(ListAliases, (c, t) => c.ListAliasesAsync(new Sdk.ListAliasesRequest { KeyId = request.KeyId, Marker = marker }, t), null, cancellationToken, [request.KeyId]),
            page => page.Aliases,
            page => page.Truncated == true ? page.NextMarker : null);
        return new ListAliasesResponse { Aliases = [.. all.Select(a => new AliasListEntry { AliasName = a.AliasName, AliasArn = a.AliasArn, TargetKeyId = a.TargetKeyId })] };
    }

    public async Task<UpdateAliasResponse> UpdateAliasAsync(UpdateAliasRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            UpdateAlias,
            (c, t) => c.UpdateAliasAsync(new Sdk.UpdateAliasRequest { AliasName = request.AliasName, TargetKeyId = request.TargetKeyId }, t),
            Audit(AliasArn(request.AliasName), d => d.Add("TargetKeyId", request.TargetKeyId)),
            cancellationToken,
            [request.TargetKeyId]);
        return new UpdateAliasResponse();
    }

    public async Task<DeleteAliasResponse> DeleteAliasAsync(DeleteAliasRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(DeleteAlias, (c, t) => c.DeleteAliasAsync(new Sdk.DeleteAliasRequest { AliasName = request.AliasName }, t), Audit(AliasArn(request.AliasName)), cancellationToken);
        return new DeleteAliasResponse();
    }

    public async Task<ListKeysResponse> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListKeys.Name,
            marker => CallAsync(ListKeys, (c, t) => c.ListKeysAsync(new Sdk.ListKeysRequest { Marker = marker }, t), null, cancellationToken),
            page => page.Keys,
            page => page.Truncated == true ? page.NextMarker : null);
        return new ListKeysResponse { Keys = [.. all.Select(k => new KeyListEntry { KeyId = k.KeyId, KeyArn = k.KeyArn })] };
    }

    public async Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletionAsync(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            ScheduleKeyDeletion,
            (c, t) => c.ScheduleKeyDeletionAsync(new Sdk.ScheduleKeyDeletionRequest { KeyId = request.KeyId, PendingWindowInDays = request.PendingWindowInDays }, t),
            Audit(KeyArn(request.KeyId), d => d.Add("PendingWindowInDays", request.PendingWindowInDays)),
            cancellationToken,
            [request.KeyId]);
        return new ScheduleKeyDeletionResponse
        {
            KeyId = response.KeyId,
            KeyState = response.KeyState?.Value,
            DeletionDate = response.DeletionDate is { } deleted ? new DateTimeOffset(DateTime.SpecifyKind(deleted, DateTimeKind.Utc)) : null,
            PendingWindowInDays = response.PendingWindowInDays,
        };
    }

    public async Task<EnableKeyRotationResponse> EnableKeyRotationAsync(EnableKeyRotationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            EnableKeyRotation,
            (c, t) => c.EnableKeyRotationAsync(new Sdk.EnableKeyRotationRequest { KeyId = request.KeyId, RotationPeriodInDays = request.RotationPeriodInDays }, t),
            Audit(KeyArn(request.KeyId), d => d.Add("RotationPeriodInDays", request.RotationPeriodInDays)),
            cancellationToken,
            [request.KeyId]);
        return new EnableKeyRotationResponse();
    }

    public async Task<GetKeyRotationStatusResponse> GetKeyRotationStatusAsync(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetKeyRotationStatus, (c, t) => c.GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = request.KeyId }, t), null, cancellationToken, [request.KeyId]);
        return new GetKeyRotationStatusResponse { KeyRotationEnabled = response.KeyRotationEnabled == true, RotationPeriodInDays = response.RotationPeriodInDays };
    }

    public async Task<GetKeyPolicyResponse> GetKeyPolicyAsync(GetKeyPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetKeyPolicy, (c, t) => c.GetKeyPolicyAsync(new Sdk.GetKeyPolicyRequest { KeyId = request.KeyId, PolicyName = "default" }, t), null, cancellationToken, [request.KeyId]);
        return new GetKeyPolicyResponse { Policy = response.Policy };
    }

    public async Task<PutKeyPolicyResponse> PutKeyPolicyAsync(PutKeyPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            PutKeyPolicy,
            (c, t) => c.PutKeyPolicyAsync(new Sdk.PutKeyPolicyRequest { KeyId = request.KeyId, Policy = request.Policy, PolicyName = "default" }, t),
            Audit(KeyArn(request.KeyId), d => d.AddDigest("Policy", request.Policy)),
            cancellationToken,
            [request.KeyId]);
        return new PutKeyPolicyResponse();
    }

    public async Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            TagResource,
            (c, t) => c.TagResourceAsync(
                new Sdk.TagResourceRequest { KeyId = request.KeyId, Tags = [.. request.Tags.Select(g => new Sdk.Tag { TagKey = g.TagKey, TagValue = g.TagValue })] },
                t),
            Audit(KeyArn(request.KeyId), d => d.Add("Tags", request.Tags.Select(g => $"{g.TagKey}={g.TagValue}"))),
            cancellationToken,
            [request.KeyId]);
        return new TagResourceResponse();
    }

    public async Task<ListResourceTagsResponse> ListResourceTagsAsync(ListResourceTagsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListResourceTags.Name,
            marker => CallAsync(ListResourceTags, (c, t) => c.ListResourceTagsAsync(new Sdk.ListResourceTagsRequest { KeyId = request.KeyId, Marker = marker }, t), null, cancellationToken, [request.KeyId]),
            page => page.Tags,
            page => page.Truncated == true ? page.NextMarker : null);
        return new ListResourceTagsResponse { Tags = [.. all.Select(g => new Tag { TagKey = g.TagKey, TagValue = g.TagValue })] };
    }

    public async Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GenerateDataKey,
            (c, t) => c.GenerateDataKeyAsync(
                new Sdk.GenerateDataKeyRequest { KeyId = request.KeyId, KeySpec = new DataKeySpec(request.KeySpec), EncryptionContext = Context(request.EncryptionContext) },
                t),
            null,
            cancellationToken,
            [request.KeyId]);
        return new GenerateDataKeyResponse { Plaintext = TakeAndZero(response.Plaintext), CiphertextBlob = TakeAndZero(response.CiphertextBlob), KeyId = response.KeyId };
    }

    public async Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            Encrypt,
            async (c, t) =>
            {
                var plaintext = new MemoryStream(request.Plaintext, writable: false);
                await using (plaintext)
                {
                    return await c.EncryptAsync(new Sdk.EncryptRequest { KeyId = request.KeyId, Plaintext = plaintext, EncryptionContext = Context(request.EncryptionContext) }, t);
                }
            },
            null,
            cancellationToken,
            [request.KeyId]);
        return new EncryptResponse { CiphertextBlob = TakeAndZero(response.CiphertextBlob), KeyId = response.KeyId };
    }

    public async Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            Decrypt,
            async (c, t) =>
            {
                var ciphertext = new MemoryStream(request.CiphertextBlob, writable: false);
                await using (ciphertext)
                {
                    return await c.DecryptAsync(
                        new Sdk.DecryptRequest { CiphertextBlob = ciphertext, KeyId = request.KeyId, EncryptionContext = Context(request.EncryptionContext) }, t);
                }
            },
            null,
            cancellationToken,
            [request.KeyId]);
        return new DecryptResponse { Plaintext = TakeAndZero(response.Plaintext), KeyId = response.KeyId };
    }

    /// <summary>Copies a buffer the SDK returned and zeroes the SDK's copy.</summary>
    internal static byte[] TakeAndZero(MemoryStream? stream)
    {
        if (stream is null)
        {
            return [];
        }

        var copy = stream.ToArray();
        if (stream.TryGetBuffer(out var segment))
        {
            CryptographicOperations.ZeroMemory(segment.AsSpan());
        }

        stream.Dispose();
        return copy;
    }

    private static Dictionary<string, string>? Context(IReadOnlyDictionary<string, string>? context) =>
        context is null ? null : new Dictionary<string, string>(context, StringComparer.Ordinal);

    private static KeyMetadata? Map(Sdk.KeyMetadata? metadata) => metadata is null
        ? null
        : new KeyMetadata
        {
            KeyId = metadata.KeyId,
            Arn = metadata.Arn,
            KeyState = metadata.KeyState?.Value,
            Enabled = metadata.Enabled,
            Description = metadata.Description,
            KeyUsage = metadata.KeyUsage?.Value,
            KeySpec = metadata.KeySpec?.Value,
            KeyManager = metadata.KeyManager?.Value,
            CreationDate = metadata.CreationDate is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            DeletionDate = metadata.DeletionDate is { } deleted ? new DateTimeOffset(DateTime.SpecifyKind(deleted, DateTimeKind.Utc)) : null,
        };

    private static AuditEntry Audit(string? resource, Action<Audit.AuditDetails>? details = null)
    {
        var entry = new AuditEntry(resource, new Audit.AuditDetails());
        details?.Invoke(entry.Details);
        return entry;
    }

    private Task<T> CallAsync<T>(
        AwsOperation operation,
        Func<AmazonKeyManagementServiceClient, CancellationToken, Task<T>> call,
        AuditEntry? audit,
        CancellationToken cancellationToken,
        IEnumerable<string?>? guardedArns = null,
        Func<T, string?>? resourceFromResult = null)
        where T : AmazonWebServiceResponse =>
        _pipeline.InvokeSdkAsync(
            _scope,
            operation,
            async token => await call(await _client.GetAsync(token), token),
            audit,
            cancellationToken,
            guardedArns,
            resourceFromResult);

    private string KeyArn(string keyId) =>
        keyId.StartsWith("arn:", StringComparison.Ordinal) || _scope.AccountId is null ? keyId : $"arn:aws:kms:{_scope.Region}:{_scope.AccountId}:key/{keyId}";

    private string AliasArn(string aliasName) =>
        _scope.AccountId is null ? aliasName : $"arn:aws:kms:{_scope.Region}:{_scope.AccountId}:{aliasName}";
}
