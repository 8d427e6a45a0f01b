using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Aws.S3.Model;

namespace OpenKbs.Operator.Nis2;

/// <summary>One piece of evidence read live from AWS: what AWS said, or why it could not be read ("not verified live").</summary>
internal sealed record Live<T>(T? Value, string? NotVerified)
    where T : class
{
    public static Live<T> Read(T value) => new(value, null);

    public static Live<T> Unverified(string reason) => new(null, reason);
}

/// <summary>The project's Aurora cluster as RDS reports it (<c>Exists</c> false: RDS has no such cluster).</summary>
internal sealed record LiveDatabase(
    bool Exists,
    int? BackupRetentionDays = null,
    DateTimeOffset? EarliestRestorableTime = null,
    DateTimeOffset? LatestRestorableTime = null,
    bool StorageEncrypted = false,
    string? KmsKeyId = null,
    bool DeletionProtection = false,
    string? Writer = null,
    string? WriterZone = null,
    string? Reader = null,
    string? ReaderZone = null,
    string? ReaderStatus = null);

/// <summary>The project's bucket as S3 reports it: versioning (null: never enabled), default encryption (null: none), public access block (all four on).</summary>
internal sealed record LiveBucket(bool Exists, string? Versioning = null, string? Encryption = null, string? KmsKeyId = null, bool PublicAccessBlocked = false);

/// <summary>The project's distribution as CloudFront reports it.</summary>
internal sealed record LiveCdn(bool Exists, string? MinimumProtocolVersion = null, string? PriceClass = null, string? ViewerProtocolPolicy = null);

/// <summary>The project key as KMS reports it: rotation on and its period, creation date, state.</summary>
internal sealed record LiveKey(bool Exists, bool RotationEnabled = false, int? RotationPeriodDays = null, DateTimeOffset? Created = null, string? State = null);

/// <summary>The service control policies AWS Organizations reports attached to an account (management account read).</summary>
internal sealed record LiveGuardrail(IReadOnlyList<string> AttachedPolicyIds);

/// <summary>What AWS said about one project's resources; null members: the spec wants no such resource.</summary>
internal sealed record ProjectLive(Live<LiveBucket> Bucket, Live<LiveKey> Key, Live<LiveDatabase>? Database, Live<LiveCdn>? Cdn);

/// <summary>
/// The live AWS evidence of a namespace, read at report time: per ClientAccount the guardrail SCP attachment (Organizations, from
/// the management account), per Project its bucket, key, database and distribution (inside the client account through the
/// account's access role: STS AssumeRole, 900 s, the account's EU region). Read-only calls only. Every item that could not be read
/// carries why: the report says "not verified live" for it and never falls back silently to the status.
/// </summary>
internal sealed record Nis2Live(string? NotRead, IReadOnlyDictionary<string, Live<LiveGuardrail>> Accounts, IReadOnlyDictionary<string, ProjectLive> Projects)
{
    /// <summary>AWS was not read at all (e.g. no AWS access configured for the command): every item is not verified live.</summary>
    public static Nis2Live NotReadAt(string reason) => new(reason, new Dictionary<string, Live<LiveGuardrail>>(), new Dictionary<string, ProjectLive>());

    /// <summary>The guardrail evidence of <paramref name="account"/>, or "not verified live" with the reason.</summary>
    public Live<LiveGuardrail> Guardrail(string account) =>
        Accounts.TryGetValue(account, out var live) ? live : Live<LiveGuardrail>.Unverified(NotRead ?? "the account was not read");

    /// <summary>The evidence of <paramref name="project"/>; every item "not verified live" when it was not read.</summary>
    public ProjectLive Project(string project)
    {
        if (Projects.TryGetValue(project, out var live))
        {
            return live;
        }

        var reason = NotRead ?? "the project was not read";
        return new ProjectLive(Live<LiveBucket>.Unverified(reason), Live<LiveKey>.Unverified(reason), Live<LiveDatabase>.Unverified(reason), Live<LiveCdn>.Unverified(reason));
    }

    /// <summary>Reads every ClientAccount's and Project's evidence in <paramref name="evidence"/> through <paramref name="aws"/>.</summary>
    public static async Task<Nis2Live> ReadAsync(IAwsClientFactory aws, Nis2Evidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(evidence);
        var accounts = new Dictionary<string, Live<LiveGuardrail>>(StringComparer.Ordinal);
        foreach (var account in evidence.Accounts.Where(a => a.Status?.State != AccountState.Transferred))
        {
            accounts[account.Metadata.Name] = account.Status?.AccountId is { } id
                ? await TryAsync(() => GuardrailAsync(aws, Actor(evidence.Namespace, "ClientAccount", account.Metadata.Name), id, cancellationToken), cancellationToken)
                : Live<LiveGuardrail>.Unverified("the account has no account id yet");
        }

        var projects = new Dictionary<string, ProjectLive>(StringComparer.Ordinal);
        foreach (var project in evidence.Projects.Where(p => p.Status?.TransferredAt is null))
        {
            projects[project.Metadata.Name] = await ProjectAsync(aws, evidence, project, cancellationToken);
        }

        return new Nis2Live(null, accounts, projects);
    }

    private static async Task<ProjectLive> ProjectAsync(IAwsClientFactory aws, Nis2Evidence evidence, Project project, CancellationToken cancellationToken)
    {
        var account = evidence.Accounts.FirstOrDefault(a => a.Metadata.Name == project.Spec.ClientAccountRef.Name);
        var accountId = project.Status?.AccountId ?? account?.Status?.AccountId;
        var region = project.Status?.Region ?? account?.Spec.Region;
        string? missing = account is null ? $"ClientAccount {project.Spec.ClientAccountRef.Name} is not in the namespace"
            : accountId is null || region is null ? "the project has no account id or region yet"
            : null;
        IMemberAccountClients? member = null;
        if (missing is null)
        {
            try
            {
                member = aws.ForAccount(accountId!, account!.Spec.AccessRoleName, region!, Actor(evidence.Namespace, "Project", project.Metadata.Name));
            }
            catch (Exception ex) when (ex is ArgumentException or Aws.Regions.RegionNotAllowedException)
            {
                missing = ex.Message;
            }
        }

        if (member is null)
        {
            return new ProjectLive(
                Live<LiveBucket>.Unverified(missing!), Live<LiveKey>.Unverified(missing!),
                project.Spec.Database is { Enabled: true } ? Live<LiveDatabase>.Unverified(missing!) : null,
                project.Spec.Cdn is { Enabled: true } ? Live<LiveCdn>.Unverified(missing!) : null);
        }

        var status = project.Status;
        var bucket = status?.Storage?.BucketName is { } name
            ? await TryAsync(() => BucketAsync(member, name, cancellationToken), cancellationToken)
            : Live<LiveBucket>.Unverified("status names no bucket");
        var key = status?.Storage?.KmsKeyArn is { } keyArn
            ? await TryAsync(() => KeyAsync(member, keyArn, cancellationToken), cancellationToken)
            : Live<LiveKey>.Unverified("status names no project key");
        Live<LiveDatabase>? database = null;
        if (project.Spec.Database is { Enabled: true })
        {
            database = status?.Database?.ClusterIdentifier is { } cluster
                ? await TryAsync(() => DatabaseAsync(member, cluster, cancellationToken), cancellationToken)
                : Live<LiveDatabase>.Unverified("status names no cluster");
        }

        Live<LiveCdn>? cdn = null;
        if (project.Spec.Cdn is { Enabled: true })
        {
            cdn = status?.Cdn?.DistributionId is { } distribution
                ? await TryAsync(() => CdnAsync(member, distribution, cancellationToken), cancellationToken)
                : Live<LiveCdn>.Unverified("status names no distribution");
        }

        return new ProjectLive(bucket, key, database, cdn);
    }

    private static async Task<LiveGuardrail> GuardrailAsync(IAwsClientFactory aws, AwsActor actor, string accountId, CancellationToken cancellationToken)
    {
        var organizations = aws.ForManagement(actor).Organizations;
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await organizations.ListPoliciesForTargetAsync(
                new ListPoliciesForTargetRequest { TargetId = accountId, Filter = "SERVICE_CONTROL_POLICY", NextToken = token }, cancellationToken);
            ids.AddRange(page.Policies.Select(p => p.Id).OfType<string>());
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return new LiveGuardrail(ids);
    }

    private static async Task<LiveBucket> BucketAsync(IMemberAccountClients member, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            var versioning = (await member.S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, cancellationToken)).Status;
            var encryption = await OrNullAsync(() => member.S3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken));
            var block = (await OrNullAsync(() => member.S3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, cancellationToken)))?.PublicAccessBlockConfiguration;
            return new LiveBucket(
                true, versioning, encryption?.SSEAlgorithm, encryption?.KMSMasterKeyID,
                block is { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.NoSuchBucket)
        {
            return new LiveBucket(false);
        }
    }

    private static async Task<LiveKey> KeyAsync(IMemberAccountClients member, string keyArn, CancellationToken cancellationToken)
    {
        try
        {
            var key = (await member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyArn }, cancellationToken)).KeyMetadata;
            var rotation = await member.Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyArn }, cancellationToken);
            return new LiveKey(true, rotation.KeyRotationEnabled, rotation.RotationPeriodInDays, key?.CreationDate, key?.KeyState);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return new LiveKey(false);
        }
    }

    private static async Task<LiveDatabase> DatabaseAsync(IMemberAccountClients member, string cluster, CancellationToken cancellationToken)
    {
        DBCluster? found;
        try
        {
            found = (await member.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = cluster }, cancellationToken))
                .DBClusters.FirstOrDefault(c => c.DBClusterIdentifier == cluster);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            found = null;
        }

        if (found is null)
        {
            return new LiveDatabase(false);
        }

        var instances = (await member.Rds.DescribeDBInstancesAsync(
            new DescribeDBInstancesRequest { Filters = [new Filter { Name = "db-cluster-id", Values = [cluster] }] }, cancellationToken)).DBInstances
            .Where(i => i.DBClusterIdentifier == cluster).ToList();
        var writerId = found.DBClusterMembers?.FirstOrDefault(m => m.IsClusterWriter == true)?.DBInstanceIdentifier;
        var writer = instances.FirstOrDefault(i => i.DBInstanceIdentifier == writerId);
        var reader = writerId is null ? null : instances.Where(i => i.DBInstanceIdentifier != writerId).OrderBy(i => i.PromotionTier ?? int.MaxValue).FirstOrDefault();
        return new LiveDatabase(
            true, found.BackupRetentionPeriod, found.EarliestRestorableTime, found.LatestRestorableTime, found.StorageEncrypted == true, found.KmsKeyId,
            found.DeletionProtection == true, writer?.DBInstanceIdentifier, writer?.AvailabilityZone, reader?.DBInstanceIdentifier, reader?.AvailabilityZone, reader?.DBInstanceStatus);
    }

    private static async Task<LiveCdn> CdnAsync(IMemberAccountClients member, string distribution, CancellationToken cancellationToken)
    {
        try
        {
            var config = (await member.CloudFront.GetDistributionAsync(new GetDistributionRequest { Id = distribution }, cancellationToken)).Distribution?.DistributionConfig;
            return new LiveCdn(true, config?.ViewerCertificate?.MinimumProtocolVersion, config?.PriceClass, config?.DefaultCacheBehavior?.ViewerProtocolPolicy);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return new LiveCdn(false);
        }
    }

    /// <summary>The read's value, or "not verified live" with what went wrong (access refused, unreachable, timed out, no credentials).</summary>
    private static async Task<Live<T>> TryAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return Live<T>.Read(await read());
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Live<T>.Unverified(Reason(ex));
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        AwsServiceException aws => $"{aws.Service}:{aws.Operation} failed: {aws.ErrorCode}{(string.IsNullOrEmpty(aws.AwsMessage) ? string.Empty : " (" + aws.AwsMessage + ")")}",
        OperationCanceledException => "AWS did not answer in time",
        _ => $"AWS could not be reached: {ex.GetType().Name}: {ex.Message}",
    };

    private static async Task<T?> OrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (AwsServiceException ex) when (ex.IsNotFound && ex.ErrorCode != AwsErrorCode.NoSuchBucket)
        {
            return null;
        }
    }

    private static AwsActor Actor(string @namespace, string kind, string name) =>
        new() { Controller = "nis2-report", Namespace = @namespace, Kind = kind, Name = name };
}
