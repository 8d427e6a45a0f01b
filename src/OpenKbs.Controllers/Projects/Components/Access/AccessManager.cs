using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.IoT;
using OpenKbs.Aws.IoT.Model;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Lambda;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Shared;
using KmsTag = OpenKbs.Aws.Kms.Model.Tag;

namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>
/// The access component's AWS side (ACK's "sdk" layer): observes the signing keys, the code object, the Function URL, the
/// function's resource policy and the layer, and applies an <see cref="AccessDelta"/>, nothing else. It takes no decisions:
/// rotation, ownership, events and status belong to <see cref="AccessStep"/> and <see cref="SigningKeys"/>. The function itself
/// goes through the functions component's manager, the roles through <c>RoleManager</c>. Reads map "not found" to null; every
/// other AWS error propagates to the recipe engine.
/// </summary>
internal sealed class AccessManager(IKmsClient kms, IS3Client s3, ILambdaClient lambda, IIotClient iot)
{
    /// <summary>
    /// Everything <see cref="AccessDelta.Between"/> compares: the signing key's tags (ListResourceTags) and policy (GetKeyPolicy), the code object (HeadObject),
    /// the URL (GetFunctionUrlConfig), the resource policy (GetPolicy, only with a CloudFront permission to check) and the layer's
    /// versions (ListLayerVersions).
    /// </summary>
    public async Task<AccessObservation> ObserveAsync(AccessDesired desired, string signingKeyArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var tags = await ReadKeyTagsAsync(signingKeyArn, cancellationToken);
        var keyPolicy = desired.SigningKeyPolicy is null
            ? null
            : (await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = signingKeyArn }, cancellationToken)).Policy;
        var code = await ReadOrNullAsync(async () =>
            new StoredCode((await s3.HeadObjectAsync(new HeadObjectRequest { BucketName = desired.Bucket, Key = desired.CodeKey }, cancellationToken)).VersionId));
        var url = await ReadOrNullAsync(async () =>
        {
            var got = await lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = desired.FunctionName }, cancellationToken);
            return new FunctionUrlObservation(got.FunctionUrl, got.AuthType);
        });
        var policy = desired.CloudFrontPermission is null
            ? null
            : await ReadOrNullAsync(async () => (await lambda.GetPolicyAsync(new GetPolicyRequest { FunctionName = desired.FunctionName }, cancellationToken)).Policy);
        var versions = await ReadOrNullAsync(async () => (await lambda.ListLayerVersionsAsync(new ListLayerVersionsRequest { LayerName = desired.LayerName }, cancellationToken)).LayerVersions);
        var newest = versions?.OrderByDescending(v => v.Version ?? 0).FirstOrDefault();
        return new AccessObservation(
            tags,
            code,
            url,
            policy,
            newest is null ? null : new LayerObservation(newest.LayerVersionArn, newest.Version, newest.Description),
            keyPolicy);
    }

    /// <summary>Writes the <see cref="AccessDelta.PreparationPaths"/> of <paramref name="delta"/>: the key's owner tags and policy, the code object.</summary>
    /// <returns>The version id of the code object when it was uploaded now, else null.</returns>
    public async Task<StoredCode?> ApplyPreparationAsync(AccessDesired desired, string signingKeyArn, AccessDelta delta, byte[] code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.Has(AccessDelta.SigningKeyTags))
        {
            await TagKeyAsync(signingKeyArn, delta.MissingKeyTags, cancellationToken);
        }

        if (delta.Has(AccessDelta.SigningKeyPolicy) && desired.SigningKeyPolicy is { } keyPolicy)
        {
            await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = signingKeyArn, Policy = keyPolicy }, cancellationToken);
        }

        if (!delta.Has(AccessDelta.Code))
        {
            return null;
        }

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = desired.Bucket, Key = desired.CodeKey, ContentBody = code, ContentType = "application/zip" }, cancellationToken);
        return new StoredCode(put.VersionId);
    }

    /// <summary>
    /// Writes the <see cref="AccessDelta.EndpointPaths"/> of <paramref name="delta"/>: the URL (created, or its AuthType put back),
    /// the CloudFront permission (a stale statement under the same id removed first), a new layer version.
    /// </summary>
    /// <returns>The URL and the layer version ARN as AWS answered the writes (null for what was not written).</returns>
    public async Task<(string? FunctionUrl, string? LayerVersionArn)> ApplyEndpointsAsync(AccessDesired desired, AccessDelta delta, byte[] layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(delta);
        string? url = null;
        if (delta.Has(AccessDelta.Url))
        {
            url = (await lambda.CreateFunctionUrlConfigAsync(new CreateFunctionUrlConfigRequest { FunctionName = desired.FunctionName, AuthType = desired.AuthType }, cancellationToken)).FunctionUrl;
        }
        else if (delta.Has(AccessDelta.UrlAuthType))
        {
            url = (await lambda.UpdateFunctionUrlConfigAsync(new UpdateFunctionUrlConfigRequest { FunctionName = desired.FunctionName, AuthType = desired.AuthType }, cancellationToken)).FunctionUrl;
        }

        if (delta.Has(AccessDelta.CloudFrontPermission) && desired.CloudFrontPermission is { } permission)
        {
            if (delta.ReplacesPermission)
            {
                await lambda.RemovePermissionAsync(new RemovePermissionRequest { FunctionName = desired.FunctionName, StatementId = permission.StatementId }, cancellationToken);
            }

            await lambda.AddPermissionAsync(new AddPermissionRequest
            {
                FunctionName = desired.FunctionName,
                StatementId = permission.StatementId,
                Action = permission.Action,
                Principal = permission.Principal,
                SourceArn = permission.SourceArn,
                FunctionUrlAuthType = permission.FunctionUrlAuthType,
            }, cancellationToken);
        }

        string? layerArn = null;
        if (delta.Has(AccessDelta.Layer))
        {
            layerArn = (await lambda.PublishLayerVersionAsync(new PublishLayerVersionRequest
            {
                LayerName = desired.LayerName,
                Description = desired.LayerDescription,
                Content = new LayerVersionContentInput { ZipFile = layer },
                CompatibleRuntimes = [LambdaRuntimes.NodeJs24, LambdaRuntimes.NodeJs22],
            }, cancellationToken)).LayerVersionArn;
        }

        return (url, layerArn);
    }

    /// <summary>Removes the Function URL; false when there was none.</summary>
    public async Task<bool> DeleteUrlAsync(string functionName, CancellationToken cancellationToken)
    {
        try
        {
            await lambda.DeleteFunctionUrlConfigAsync(new DeleteFunctionUrlConfigRequest { FunctionName = functionName }, cancellationToken);
            return true;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>The account's IoT data endpoint (ATS), one DescribeEndpoint.</summary>
    public async Task<string?> IotDataEndpointAsync(CancellationToken cancellationToken) =>
        (await iot.DescribeEndpointAsync(new DescribeEndpointRequest { EndpointType = IotEndpointTypes.DataAts }, cancellationToken)).EndpointAddress;

    /// <summary>The key an alias, id or ARN names, or null when there is none.</summary>
    public Task<KeyMetadata?> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) => kms.DescribeOrNullAsync(keyId, cancellationToken);

    /// <summary>A new RSA_2048 SIGN_VERIFY key with <paramref name="policy"/> and <paramref name="tags"/>.</summary>
    public async Task<KeyMetadata> CreateSigningKeyAsync(string description, string policy, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        (await kms.CreateKeyAsync(
            new CreateKeyRequest
            {
                Description = description,
                KeySpec = "RSA_2048",
                KeyUsage = "SIGN_VERIFY",
                Policy = policy,
                Tags = [.. tags.Select(t => new KmsTag { TagKey = t.Key, TagValue = t.Value })],
            },
            cancellationToken)).KeyMetadata!;

    /// <summary>Creates <paramref name="alias"/> for <paramref name="keyId"/>; false when the alias exists already (it is not changed).</summary>
    public async Task<bool> CreateAliasAsync(string alias, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = keyId }, cancellationToken);
            return true;
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            return false;
        }
    }

    /// <summary>Points an existing alias at <paramref name="keyId"/>.</summary>
    public Task UpdateAliasAsync(string alias, string keyId, CancellationToken cancellationToken) =>
        kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = alias, TargetKeyId = keyId }, cancellationToken);

    /// <summary>Removes an alias; false when there was none.</summary>
    public async Task<bool> DeleteAliasAsync(string alias, CancellationToken cancellationToken)
    {
        try
        {
            await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = alias }, cancellationToken);
            return true;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>Schedules the key's deletion after <paramref name="days"/> (KMS CancelKeyDeletion restores it until then); the date.</summary>
    public async Task<DateTimeOffset?> ScheduleKeyDeletionAsync(string keyId, int days, CancellationToken cancellationToken) =>
        (await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = days }, cancellationToken)).DeletionDate;

    /// <summary>The keys of the account that no alias names (ListAliases, ListKeys, DescribeKey of each of them).</summary>
    public async Task<IReadOnlyList<KeyMetadata>> UnaliasedKeysAsync(CancellationToken cancellationToken)
    {
        var aliased = (await kms.ListAliasesAsync(new ListAliasesRequest(), cancellationToken)).Aliases
            .Select(a => a.TargetKeyId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var keys = new List<KeyMetadata>();
        foreach (var entry in (await kms.ListKeysAsync(new ListKeysRequest(), cancellationToken)).Keys)
        {
            if (entry.KeyId is { } keyId && !aliased.Contains(keyId) && await DescribeKeyAsync(keyId, cancellationToken) is { } key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    public Task<IReadOnlyList<KeyValuePair<string, string>>> ReadKeyTagsAsync(string keyArn, CancellationToken cancellationToken) => kms.TagPairsAsync(keyArn, cancellationToken);

    public Task TagKeyAsync(string keyArn, IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) => kms.TagAsync(keyArn, tags, cancellationToken);

    private static async Task<T?> ReadOrNullAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
