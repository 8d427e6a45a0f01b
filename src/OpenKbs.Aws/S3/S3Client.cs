using Amazon.Runtime;
using Amazon.S3;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.S3.Model;
using Sdk = Amazon.S3.Model;

namespace OpenKbs.Aws.S3;

/// <summary>
/// S3 over the official AWSSDK.S3 client, every call through <see cref="AwsRequestPipeline.InvokeSdkAsync{T}"/>. The SDK client uses
/// path-style addressing behind an endpoint override (emulators), computes and validates checksums only when S3 requires them
/// (WHEN_REQUIRED: no aws-chunked trailers), and never retries by itself.
/// </summary>
internal sealed class S3Client : IS3Client
{
    private static readonly AwsService Service = AwsServices.S3;

    // The IAM actions of the S3 API (Service Authorization Reference, "Actions defined by Amazon S3") where they differ from the
    // operation name: bucket configuration is authorized as *Configuration / *Bucket*Block, HEAD as the matching read.
    internal static readonly AwsOperation CreateBucket = AwsOperation.Write(Service, nameof(CreateBucket)) with { Iam = ["s3:CreateBucket", "s3:PutBucketOwnershipControls"] };
    internal static readonly AwsOperation HeadBucket = AwsOperation.Read(Service, nameof(HeadBucket)) with { Iam = ["s3:ListBucket"] };
    internal static readonly AwsOperation GetObjectLockConfiguration = AwsOperation.Read(Service, nameof(GetObjectLockConfiguration)) with { Iam = ["s3:GetBucketObjectLockConfiguration"] };
    internal static readonly AwsOperation PutBucketVersioning = AwsOperation.Write(Service, nameof(PutBucketVersioning));
    internal static readonly AwsOperation GetBucketVersioning = AwsOperation.Read(Service, nameof(GetBucketVersioning));
    internal static readonly AwsOperation PutBucketEncryption = AwsOperation.Write(Service, nameof(PutBucketEncryption)) with { Iam = ["s3:PutEncryptionConfiguration"] };
    internal static readonly AwsOperation GetBucketEncryption = AwsOperation.Read(Service, nameof(GetBucketEncryption)) with { Iam = ["s3:GetEncryptionConfiguration"] };
    internal static readonly AwsOperation PutPublicAccessBlock = AwsOperation.Write(Service, nameof(PutPublicAccessBlock)) with { Iam = ["s3:PutBucketPublicAccessBlock"] };
    internal static readonly AwsOperation GetPublicAccessBlock = AwsOperation.Read(Service, nameof(GetPublicAccessBlock)) with { Iam = ["s3:GetBucketPublicAccessBlock"] };
    internal static readonly AwsOperation PutBucketPolicy = AwsOperation.Write(Service, nameof(PutBucketPolicy));
    internal static readonly AwsOperation GetBucketPolicy = AwsOperation.Read(Service, nameof(GetBucketPolicy));
    internal static readonly AwsOperation PutBucketLifecycleConfiguration = AwsOperation.Write(Service, nameof(PutBucketLifecycleConfiguration)) with { Iam = ["s3:PutLifecycleConfiguration"] };
    internal static readonly AwsOperation GetBucketLifecycleConfiguration = AwsOperation.Read(Service, nameof(GetBucketLifecycleConfiguration)) with { Iam = ["s3:GetLifecycleConfiguration"] };
    internal static readonly AwsOperation PutBucketTagging = AwsOperation.Write(Service, nameof(PutBucketTagging));
    internal static readonly AwsOperation GetBucketTagging = AwsOperation.Read(Service, nameof(GetBucketTagging));
    internal static readonly AwsOperation PutBucketOwnershipControls = AwsOperation.Write(Service, nameof(PutBucketOwnershipControls));
    internal static readonly AwsOperation GetBucketOwnershipControls = AwsOperation.Read(Service, nameof(GetBucketOwnershipControls));
    internal static readonly AwsOperation PutBucketAcl = AwsOperation.Write(Service, nameof(PutBucketAcl));
    internal static readonly AwsOperation GetBucketAcl = AwsOperation.Read(Service, nameof(GetBucketAcl));
    internal static readonly AwsOperation PutObject = AwsOperation.Write(Service, nameof(PutObject)) with { ConditionalIam = ["s3:PutObjectRetention"] };
    internal static readonly AwsOperation GetObject = AwsOperation.Read(Service, nameof(GetObject));
    internal static readonly AwsOperation HeadObject = AwsOperation.Read(Service, nameof(HeadObject)) with { Iam = ["s3:GetObject"] };
    internal static readonly AwsOperation CopyObject = AwsOperation.Write(Service, nameof(CopyObject)) with { Iam = ["s3:GetObject", "s3:PutObject"] };
    internal static readonly AwsOperation ListObjectVersions = AwsOperation.Read(Service, nameof(ListObjectVersions)) with { Iam = ["s3:ListBucketVersions"] };
    internal static readonly AwsOperation DeleteBucket = AwsOperation.Write(Service, nameof(DeleteBucket));

    private readonly AwsRequestPipeline _pipeline;
    private readonly AwsCallScope _scope;
    private readonly ScopedSdkClient<AmazonS3Client> _client;

    public S3Client(AwsRequestPipeline pipeline, AwsCallScope scope, AwsSdkClientConfig sdkConfig)
    {
        _pipeline = pipeline;
        _scope = scope;
        _client = new ScopedSdkClient<AmazonS3Client>(scope, credentials => new AmazonS3Client(credentials, Configure(sdkConfig, scope.Region)));
    }

    /// <summary>The SDK configuration: EU guard, endpoint, shared HttpClient (AwsSdkClientConfig), plus S3 specifics.</summary>
    internal static AmazonS3Config Configure(AwsSdkClientConfig sdkConfig, string region)
    {
        var config = sdkConfig.Apply(new AmazonS3Config(), Service, region);
        config.ForcePathStyle = config.ServiceURL is not null;
        config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
        config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        return config;
    }

    public async Task<CreateBucketResponse> CreateBucketAsync(CreateBucketRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sdk = new Sdk.PutBucketRequest { BucketName = request.BucketName, UseClientRegion = false, BucketRegionName = _scope.Region };
        if (request.ObjectOwnership is not null)
        {
            sdk.ObjectOwnership = new ObjectOwnership(request.ObjectOwnership);
        }

        await CallAsync(
            CreateBucket,
            (c, t) => c.PutBucketAsync(sdk, t),
            Audit(BucketArn(request.BucketName), d => d.Add("LocationConstraint", _scope.Region).Add("ObjectOwnership", request.ObjectOwnership)),
            cancellationToken);
        return new CreateBucketResponse { Location = "/" + request.BucketName };
    }

    public async Task<HeadBucketResponse> HeadBucketAsync(HeadBucketRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(HeadBucket, (c, t) => c.HeadBucketAsync(new Sdk.HeadBucketRequest { BucketName = request.BucketName }, t), null, cancellationToken);
        return new HeadBucketResponse { BucketRegion = response.BucketRegion };
    }

    public async Task<GetObjectLockConfigurationResponse> GetObjectLockConfigurationAsync(GetObjectLockConfigurationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetObjectLockConfiguration,
            (c, t) => c.GetObjectLockConfigurationAsync(new Sdk.GetObjectLockConfigurationRequest { BucketName = request.BucketName }, t),
            null,
            cancellationToken);
        var configuration = response.ObjectLockConfiguration;
        var retention = configuration?.Rule?.DefaultRetention;
        return new GetObjectLockConfigurationResponse
        {
            ObjectLockEnabled = configuration?.ObjectLockEnabled?.Value is { Length: > 0 } enabled ? enabled : null,
            DefaultRetentionMode = retention?.Mode?.Value is { Length: > 0 } mode ? mode : null,
            DefaultRetentionDays = retention?.Days,
            DefaultRetentionYears = retention?.Years,
        };
    }

    public async Task<PutBucketVersioningResponse> PutBucketVersioningAsync(PutBucketVersioningRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            PutBucketVersioning,
            (c, t) => c.PutBucketVersioningAsync(
                new Sdk.PutBucketVersioningRequest { BucketName = request.BucketName, VersioningConfig = new Sdk.S3BucketVersioningConfig { Status = new VersionStatus(request.Status) } },
                t),
            Audit(BucketArn(request.BucketName), d => d.Add("Status", request.Status)),
            cancellationToken);
        return new PutBucketVersioningResponse();
    }

    public async Task<GetBucketVersioningResponse> GetBucketVersioningAsync(GetBucketVersioningRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetBucketVersioning, (c, t) => c.GetBucketVersioningAsync(new Sdk.GetBucketVersioningRequest { BucketName = request.BucketName }, t), null, cancellationToken);
        var status = response.VersioningConfig?.Status?.Value;
        return new GetBucketVersioningResponse { Status = string.IsNullOrEmpty(status) || status == "Off" ? null : status };
    }

    public async Task<PutBucketEncryptionResponse> PutBucketEncryptionAsync(PutBucketEncryptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rule = new Sdk.ServerSideEncryptionRule
        {
            ServerSideEncryptionByDefault = new Sdk.ServerSideEncryptionByDefault
            {
                ServerSideEncryptionAlgorithm = new ServerSideEncryptionMethod(request.SSEAlgorithm),
                ServerSideEncryptionKeyManagementServiceKeyId = request.KMSMasterKeyID,
            },
            BucketKeyEnabled = request.BucketKeyEnabled,
        };
        await CallAsync(
            PutBucketEncryption,
            (c, t) => c.PutBucketEncryptionAsync(
                new Sdk.PutBucketEncryptionRequest
                {
                    BucketName = request.BucketName,
                    ServerSideEncryptionConfiguration = new Sdk.ServerSideEncryptionConfiguration { ServerSideEncryptionRules = [rule] },
                },
                t),
            Audit(
                BucketArn(request.BucketName),
                d => d.Add("SSEAlgorithm", request.SSEAlgorithm).Add("KMSMasterKeyID", request.KMSMasterKeyID).Add("BucketKeyEnabled", request.BucketKeyEnabled)),
            cancellationToken,
            [request.KMSMasterKeyID]);
        return new PutBucketEncryptionResponse();
    }

    public async Task<GetBucketEncryptionResponse> GetBucketEncryptionAsync(GetBucketEncryptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetBucketEncryption, (c, t) => c.GetBucketEncryptionAsync(new Sdk.GetBucketEncryptionRequest { BucketName = request.BucketName }, t), null, cancellationToken);
        var rule = response.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault();
        return new GetBucketEncryptionResponse
        {
            SSEAlgorithm = rule?.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value,
            KMSMasterKeyID = NullIfEmpty(rule?.ServerSideEncryptionByDefault?.ServerSideEncryptionKeyManagementServiceKeyId),
            BucketKeyEnabled = rule?.BucketKeyEnabled,
        };
    }

    public async Task<PutPublicAccessBlockResponse> PutPublicAccessBlockAsync(PutPublicAccessBlockRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var block = request.PublicAccessBlockConfiguration;
        await CallAsync(
            PutPublicAccessBlock,
            (c, t) => c.PutPublicAccessBlockAsync(
                new Sdk.PutPublicAccessBlockRequest
                {
                    BucketName = request.BucketName,
                    PublicAccessBlockConfiguration = new Sdk.PublicAccessBlockConfiguration
                    {
                        BlockPublicAcls = block.BlockPublicAcls,
                        IgnorePublicAcls = block.IgnorePublicAcls,
                        BlockPublicPolicy = block.BlockPublicPolicy,
                        RestrictPublicBuckets = block.RestrictPublicBuckets,
                    },
                },
                t),
            Audit(
                BucketArn(request.BucketName),
                d => d.Add("BlockPublicAcls", block.BlockPublicAcls).Add("IgnorePublicAcls", block.IgnorePublicAcls)
                    .Add("BlockPublicPolicy", block.BlockPublicPolicy).Add("RestrictPublicBuckets", block.RestrictPublicBuckets)),
            cancellationToken);
        return new PutPublicAccessBlockResponse();
    }

    public async Task<GetPublicAccessBlockResponse> GetPublicAccessBlockAsync(GetPublicAccessBlockRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetPublicAccessBlock, (c, t) => c.GetPublicAccessBlockAsync(new Sdk.GetPublicAccessBlockRequest { BucketName = request.BucketName }, t), null, cancellationToken);
        var block = response.PublicAccessBlockConfiguration;
        return new GetPublicAccessBlockResponse
        {
            PublicAccessBlockConfiguration = block is null
                ? null
                : new PublicAccessBlockConfiguration
                {
                    BlockPublicAcls = block.BlockPublicAcls == true,
                    IgnorePublicAcls = block.IgnorePublicAcls == true,
                    BlockPublicPolicy = block.BlockPublicPolicy == true,
                    RestrictPublicBuckets = block.RestrictPublicBuckets == true,
                },
        };
    }

    public async Task<PutBucketPolicyResponse> PutBucketPolicyAsync(PutBucketPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            PutBucketPolicy,
            (c, t) => c.PutBucketPolicyAsync(new Sdk.PutBucketPolicyRequest { BucketName = request.BucketName, Policy = request.Policy }, t),
            Audit(BucketArn(request.BucketName), d => d.AddDigest("Policy", request.Policy)),
            cancellationToken);
        return new PutBucketPolicyResponse();
    }

    public async Task<GetBucketPolicyResponse> GetBucketPolicyAsync(GetBucketPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetBucketPolicy, (c, t) => c.GetBucketPolicyAsync(new Sdk.GetBucketPolicyRequest { BucketName = request.BucketName }, t), null, cancellationToken);
        return new GetBucketPolicyResponse { Policy = NullIfEmpty(response.Policy) };
    }

    public async Task<PutBucketLifecycleConfigurationResponse> PutBucketLifecycleConfigurationAsync(PutBucketLifecycleConfigurationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rules = request.Rules.Select(r => new Sdk.LifecycleRule
        {
            Id = r.Id,
            Status = new LifecycleRuleStatus(r.Status),
            Filter = new Sdk.LifecycleFilter { LifecycleFilterPredicate = new Sdk.LifecyclePrefixPredicate { Prefix = r.Prefix } },
            Expiration = r.ExpirationDays is null ? null : new Sdk.LifecycleRuleExpiration { Days = r.ExpirationDays },
            NoncurrentVersionExpiration = r.NoncurrentDays is null
                ? null
                : new Sdk.LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = r.NoncurrentDays, NewerNoncurrentVersions = r.NewerNoncurrentVersions },
            AbortIncompleteMultipartUpload = r.AbortIncompleteMultipartUploadDays is null
                ? null
                : new Sdk.LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = r.AbortIncompleteMultipartUploadDays },
        }).ToList();
        await CallAsync(
            PutBucketLifecycleConfiguration,
            (c, t) => c.PutLifecycleConfigurationAsync(
                new Sdk.PutLifecycleConfigurationRequest { BucketName = request.BucketName, Configuration = new Sdk.LifecycleConfiguration { Rules = rules } },
                t),
            Audit(
                BucketArn(request.BucketName),
                d => d.Add("Rules", request.Rules.Select(r => $"{r.Id}:{r.Status}:prefix={r.Prefix};expirationDays={r.ExpirationDays};noncurrentDays={r.NoncurrentDays};newer={r.NewerNoncurrentVersions};abortDays={r.AbortIncompleteMultipartUploadDays}"))),
            cancellationToken);
        return new PutBucketLifecycleConfigurationResponse();
    }

    public async Task<GetBucketLifecycleConfigurationResponse> GetBucketLifecycleConfigurationAsync(GetBucketLifecycleConfigurationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetBucketLifecycleConfiguration,
            (c, t) => c.GetLifecycleConfigurationAsync(new Sdk.GetLifecycleConfigurationRequest { BucketName = request.BucketName }, t),
            null,
            cancellationToken);
        return new GetBucketLifecycleConfigurationResponse
        {
            Rules = [.. (response.Configuration?.Rules ?? []).Select(r => new LifecycleRule
            {
                Id = r.Id,
                Status = r.Status?.Value ?? "Enabled",
                Prefix = (r.Filter?.LifecycleFilterPredicate as Sdk.LifecyclePrefixPredicate)?.Prefix ?? r.Filter?.Prefix ?? string.Empty,
                ExpirationDays = r.Expiration?.Days is > 0 ? r.Expiration.Days : null,
                NoncurrentDays = r.NoncurrentVersionExpiration?.NoncurrentDays,
                NewerNoncurrentVersions = r.NoncurrentVersionExpiration?.NewerNoncurrentVersions,
                AbortIncompleteMultipartUploadDays = r.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
            })],
        };
    }

    public async Task<PutBucketTaggingResponse> PutBucketTaggingAsync(PutBucketTaggingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            PutBucketTagging,
            (c, t) => c.PutBucketTaggingAsync(
                new Sdk.PutBucketTaggingRequest { BucketName = request.BucketName, TagSet = [.. request.TagSet.Select(g => new Sdk.Tag { Key = g.Key, Value = g.Value })] },
                t),
            Audit(BucketArn(request.BucketName), d => d.Add("Tags", request.TagSet.Select(g => $"{g.Key}={g.Value}"))),
            cancellationToken);
        return new PutBucketTaggingResponse();
    }

    public async Task<GetBucketTaggingResponse> GetBucketTaggingAsync(GetBucketTaggingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetBucketTagging, (c, t) => c.GetBucketTaggingAsync(new Sdk.GetBucketTaggingRequest { BucketName = request.BucketName }, t), null, cancellationToken);
        return new GetBucketTaggingResponse { TagSet = [.. (response.TagSet ?? []).Select(g => new Tag { Key = g.Key, Value = g.Value })] };
    }

    public async Task<PutBucketOwnershipControlsResponse> PutBucketOwnershipControlsAsync(PutBucketOwnershipControlsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            PutBucketOwnershipControls,
            (c, t) => c.PutBucketOwnershipControlsAsync(
                new Sdk.PutBucketOwnershipControlsRequest
                {
                    BucketName = request.BucketName,
                    OwnershipControls = new Sdk.OwnershipControls { Rules = [new Sdk.OwnershipControlsRule { ObjectOwnership = new ObjectOwnership(request.ObjectOwnership) }] },
                },
                t),
            Audit(BucketArn(request.BucketName), d => d.Add("ObjectOwnership", request.ObjectOwnership)),
            cancellationToken);
        return new PutBucketOwnershipControlsResponse();
    }

    public async Task<GetBucketOwnershipControlsResponse> GetBucketOwnershipControlsAsync(GetBucketOwnershipControlsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetBucketOwnershipControls,
            (c, t) => c.GetBucketOwnershipControlsAsync(new Sdk.GetBucketOwnershipControlsRequest { BucketName = request.BucketName }, t),
            null,
            cancellationToken);
        return new GetBucketOwnershipControlsResponse { ObjectOwnership = NullIfEmpty(response.OwnershipControls?.Rules?.FirstOrDefault()?.ObjectOwnership?.Value) };
    }

    public async Task<PutBucketAclResponse> PutBucketAclAsync(PutBucketAclRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The grants go as x-amz-grant-* headers (id="..." or uri="...", comma-separated per permission), not as an
        // AccessControlPolicy body: AWSSDK.S3 4.1 writes the body's Grantee element as <xsi:Grantee>, which S3 emulators refuse.
        string? Header(string permission) =>
            request.Grants.Where(g => g.Permission == permission).Select(g => g.GranteeUri is null ? $"id=\"{g.GranteeId}\"" : $"uri=\"{g.GranteeUri}\"").ToList() is { Count: > 0 } grantees
                ? string.Join(", ", grantees)
                : null;
        await CallAsync(
            PutBucketAcl,
            (c, t) => c.PutBucketAclAsync(
                new Sdk.PutBucketAclRequest
                {
                    BucketName = request.BucketName,
                    GrantFullControl = Header("FULL_CONTROL"),
                    GrantRead = Header("READ"),
                    GrantReadACP = Header("READ_ACP"),
                    GrantWrite = Header("WRITE"),
                    GrantWriteACP = Header("WRITE_ACP"),
                },
                t),
            Audit(BucketArn(request.BucketName), d => d.Add("Grants", request.Grants.Select(g => $"{g.GranteeId ?? g.GranteeUri}={g.Permission}"))),
            cancellationToken);
        return new PutBucketAclResponse();
    }

    public async Task<GetBucketAclResponse> GetBucketAclAsync(GetBucketAclRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(GetBucketAcl, (c, t) => c.GetBucketAclAsync(new Sdk.GetBucketAclRequest { BucketName = request.BucketName }, t), null, cancellationToken);
        return new GetBucketAclResponse
        {
            OwnerId = NullIfEmpty(response.Owner?.Id),
            Grants = [.. (response.Grants ?? []).Select(g => new Grant
            {
                GranteeId = NullIfEmpty(g.Grantee?.CanonicalUser),
                GranteeUri = NullIfEmpty(g.Grantee?.URI),
                Permission = g.Permission?.Value ?? string.Empty,
            })],
        };
    }

    public async Task<PutObjectResponse> PutObjectAsync(PutObjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.InputStream is null) == (request.ContentBody is null))
        {
            throw new ArgumentException("Set exactly one of InputStream and ContentBody.", nameof(request));
        }

        var stream = request.InputStream;
        var start = stream is { CanSeek: true } ? stream.Position : 0;
        var attempts = 0;
        var response = await CallAsync(
            PutObject,
            (c, t) =>
            {
                attempts++;
                Stream body;
                if (request.ContentBody is not null)
                {
                    body = new MemoryStream(request.ContentBody, writable: false);
                }
                else if (attempts == 1 || stream!.CanSeek)
                {
                    if (stream!.CanSeek)
                    {
                        stream.Position = start;
                    }

                    body = stream;
                }
                else
                {
                    throw new AwsServiceException(
                        Service.SigningName, nameof(PutObject), "StreamNotRetryable", "The upload failed and its stream cannot be rewound for a retry.", 0, null, AwsErrorClassification.Terminal);
                }

                var sdk = new Sdk.PutObjectRequest
                {
                    BucketName = request.BucketName,
                    Key = request.Key,
                    InputStream = body,
                    AutoCloseStream = request.ContentBody is not null,
                    AutoResetStreamPosition = false,
                    ContentType = request.ContentType,
                    ChecksumSHA256 = request.ChecksumSHA256,
                    ServerSideEncryptionKeyManagementServiceKeyId = request.SSEKMSKeyId,
                };
                if (request.ServerSideEncryption is not null)
                {
                    sdk.ServerSideEncryptionMethod = new ServerSideEncryptionMethod(request.ServerSideEncryption);
                }

                if (request.ObjectLockMode is not null)
                {
                    sdk.ObjectLockMode = new ObjectLockMode(request.ObjectLockMode);
                    sdk.ObjectLockRetainUntilDate = request.ObjectLockRetainUntilDate?.UtcDateTime;
                    if (request.ChecksumSHA256 is not null)
                    {
                        // S3 wants Content-MD5 or x-amz-sdk-checksum-algorithm with Object Lock headers; the SHA-256 is given (never computed here).
                        sdk.Headers["x-amz-sdk-checksum-algorithm"] = "SHA256";
                    }
                }

                if (request.IfNoneMatch is not null)
                {
                    sdk.IfNoneMatch = request.IfNoneMatch;
                }

                var length = request.ContentBody?.LongLength ?? request.ContentLength ?? (stream!.CanSeek ? stream.Length - start : (long?)null);
                if (length is { } known)
                {
                    sdk.Headers.ContentLength = known;
                }

                foreach (var (name, value) in request.Metadata ?? new Dictionary<string, string>())
                {
                    sdk.Metadata[name] = value;
                }

                return c.PutObjectAsync(sdk, t);
            },
            Audit(
                ObjectArn(request.BucketName, request.Key),
                d => d.Add("ContentLength", (request.ContentBody?.LongLength ?? request.ContentLength)?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Add("ContentType", request.ContentType).Add("ChecksumSHA256", request.ChecksumSHA256)
                    .Add("ServerSideEncryption", request.ServerSideEncryption).Add("SSEKMSKeyId", request.SSEKMSKeyId)
                    .Add("MetadataKeys", request.Metadata?.Keys.Order(StringComparer.Ordinal))
                    .Add("ObjectLockMode", request.ObjectLockMode)
                    .Add("ObjectLockRetainUntilDate", request.ObjectLockRetainUntilDate?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture))
                    .Add("IfNoneMatch", request.IfNoneMatch)),
            cancellationToken,
            [request.SSEKMSKeyId]);
        return new PutObjectResponse { ETag = response.ETag, VersionId = response.VersionId, ChecksumSHA256 = response.ChecksumSHA256 };
    }

    public async Task<GetObjectResponse> GetObjectAsync(GetObjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            GetObject,
            (c, t) => c.GetObjectAsync(new Sdk.GetObjectRequest { BucketName = request.BucketName, Key = request.Key, VersionId = request.VersionId }, t),
            null,
            cancellationToken,
            [$"arn:aws:s3:::{request.BucketName}/{request.Key}"]);
        return new GetObjectResponse(response.ResponseStream, response)
        {
            ContentLength = response.ContentLength,
            ETag = response.ETag,
            VersionId = response.VersionId,
            ContentType = response.Headers?.ContentType,
            ChecksumSHA256 = response.ChecksumSHA256,
            Metadata = Metadata(response.Metadata),
        };
    }

    public async Task<HeadObjectResponse> HeadObjectAsync(HeadObjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            HeadObject,
            (c, t) => c.GetObjectMetadataAsync(new Sdk.GetObjectMetadataRequest { BucketName = request.BucketName, Key = request.Key, VersionId = request.VersionId }, t),
            null,
            cancellationToken);
        return new HeadObjectResponse
        {
            ContentLength = response.ContentLength,
            ETag = response.ETag,
            VersionId = response.VersionId,
            ContentType = response.Headers?.ContentType,
            ChecksumSHA256 = response.ChecksumSHA256,
            ServerSideEncryption = response.ServerSideEncryptionMethod?.Value,
            SSEKMSKeyId = response.ServerSideEncryptionKeyManagementServiceKeyId,
            LastModified = response.LastModified is { } modified ? new DateTimeOffset(DateTime.SpecifyKind(modified, DateTimeKind.Utc)) : null,
            Metadata = Metadata(response.Metadata),
        };
    }

    public async Task<CopyObjectResponse> CopyObjectAsync(CopyObjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            CopyObject,
            (c, t) =>
            {
                var sdk = new Sdk.CopyObjectRequest
                {
                    SourceBucket = request.SourceBucket,
                    SourceKey = request.SourceKey,
                    SourceVersionId = request.SourceVersionId,
                    DestinationBucket = request.DestinationBucket,
                    DestinationKey = request.DestinationKey,
                    ServerSideEncryptionKeyManagementServiceKeyId = request.SSEKMSKeyId,
                };
                if (request.ServerSideEncryption is not null)
                {
                    sdk.ServerSideEncryptionMethod = new ServerSideEncryptionMethod(request.ServerSideEncryption);
                }

                return c.CopyObjectAsync(sdk, t);
            },
            Audit(
                ObjectArn(request.DestinationBucket, request.DestinationKey),
                d => d.Add("Source", ObjectArn(request.SourceBucket, request.SourceKey)).Add("SourceVersionId", request.SourceVersionId)
                    .Add("ServerSideEncryption", request.ServerSideEncryption).Add("SSEKMSKeyId", request.SSEKMSKeyId)),
            cancellationToken,
            [request.SSEKMSKeyId]);
        return new CopyObjectResponse { ETag = response.ETag, VersionId = response.VersionId };
    }

    public async Task<ListObjectVersionsResponse> ListObjectVersionsAsync(ListObjectVersionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            ListObjectVersions,
            (c, t) => c.ListVersionsAsync(
                new Sdk.ListVersionsRequest
                {
                    BucketName = request.BucketName,
                    Prefix = request.Prefix,
                    MaxKeys = request.MaxKeys,
                    KeyMarker = request.KeyMarker,
                    VersionIdMarker = request.VersionIdMarker,
                },
                t),
            null,
            cancellationToken);
        return new ListObjectVersionsResponse
        {
            Versions = [.. (response.Versions ?? []).Select(v => new ObjectVersion
            {
                Key = v.Key,
                VersionId = v.VersionId,
                IsLatest = v.IsLatest == true,
                IsDeleteMarker = v.IsDeleteMarker == true,
                Size = v.Size,
                LastModified = v.LastModified is { } modified ? new DateTimeOffset(DateTime.SpecifyKind(modified, DateTimeKind.Utc)) : null,
            })],
            IsTruncated = response.IsTruncated == true,
            NextKeyMarker = NullIfEmpty(response.NextKeyMarker),
            NextVersionIdMarker = NullIfEmpty(response.NextVersionIdMarker),
        };
    }

    public async Task<DeleteBucketResponse> DeleteBucketAsync(DeleteBucketRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CallAsync(
            DeleteBucket, (c, t) => c.DeleteBucketAsync(new Sdk.DeleteBucketRequest { BucketName = request.BucketName }, t), Audit(BucketArn(request.BucketName)), cancellationToken);
        return new DeleteBucketResponse();
    }

    private async Task<T> CallAsync<T>(
        AwsOperation operation,
        Func<AmazonS3Client, CancellationToken, Task<T>> call,
        AuditEntry? audit,
        CancellationToken cancellationToken,
        IEnumerable<string?>? guardedArns = null)
        where T : AmazonWebServiceResponse =>
        await _pipeline.InvokeSdkAsync(
            _scope,
            operation,
            async token => await call(await _client.GetAsync(token), token),
            audit,
            cancellationToken,
            guardedArns);

    private static AuditEntry Audit(string resource, Action<Audit.AuditDetails>? details = null)
    {
        var entry = new AuditEntry(resource, new Audit.AuditDetails());
        details?.Invoke(entry.Details);
        return entry;
    }

    private static string BucketArn(string bucket) => $"arn:aws:s3:::{bucket}";

    private static string ObjectArn(string bucket, string key) => $"arn:aws:s3:::{bucket}/{key}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Dictionary<string, string> Metadata(Sdk.MetadataCollection? metadata)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (metadata is not null)
        {
            foreach (var key in metadata.Keys)
            {
                map[key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase) ? key["x-amz-meta-".Length..] : key] = metadata[key];
            }
        }

        return map;
    }
}
