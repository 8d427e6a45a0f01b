using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3.Model;

namespace OpenKbs.AuditTrail;

/// <summary>
/// Checkpoints as objects in an S3 bucket with Object Lock, in the operator's own (management) account and an EU region, through
/// the operator's AWS layer (EU guard, retries, and every write in the audit trail like any other AWS change). Each checkpoint is a
/// new object <c>{prefix}{chain}/{inverted sequence}-{hash}.json</c> written with <c>If-None-Match: *</c> and an Object Lock
/// retention (<see cref="AuditStoreOptions.AnchorMode"/>, <see cref="AuditStoreOptions.AnchorRetentionDays"/>): nobody (compliance
/// mode), or only a holder of <c>s3:BypassGovernanceRetention</c> (governance mode), can delete or replace it before the date. The
/// key carries the sequence (inverted: the listing, in key order, starts at the newest) and the hash, so reading the newest
/// checkpoints is one ListObjectVersions page, and every version is read, so a delete marker or a newer version of a key does
/// not hide a checkpoint; the time is S3's LastModified, which the writer does not choose.
/// </summary>
public sealed class S3AnchorSink : IChainAnchorSink
{
    private readonly IAwsClientFactory _aws;
    private readonly AuditStoreOptions _options;
    private readonly TimeProvider _time;

    public S3AnchorSink(IAwsClientFactory aws, AuditStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.AnchorBucket))
        {
            throw new ArgumentException("AuditStore:AnchorBucket is not set.", nameof(options));
        }

        _aws = aws;
        _options = options;
        _time = time;
    }

    public string Description => $"s3://{_options.AnchorBucket}/{_options.AnchorPrefix} ({Mode}, {_options.AnchorRetentionDays} days)";

    private string Mode => _options.AnchorMode.ToUpperInvariant();

    public async Task WriteAsync(ChainAnchor anchor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["chain"] = anchor.Chain,
            ["sequence"] = anchor.Sequence,
            ["hash"] = Convert.ToHexStringLower(anchor.Hash),
            ["time"] = anchor.When,
            ["operator"] = _options.OperatorIdentity,
        });
        try
        {
            await S3().PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = _options.AnchorBucket!,
                    Key = Key(anchor.Chain, anchor.Sequence, anchor.Hash),
                    ContentBody = body,
                    ContentType = "application/json",
                    ChecksumSHA256 = Convert.ToBase64String(SHA256.HashData(body)), // S3 requires a checksum with Object Lock headers
                    ObjectLockMode = Mode,
                    ObjectLockRetainUntilDate = _time.GetUtcNow().AddDays(_options.AnchorRetentionDays),
                    IfNoneMatch = "*",
                },
                cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.PreconditionFailed)
        {
            // This very checkpoint (same chain, sequence and hash) was written before: it stays as it was.
        }
    }

    /// <summary>
    /// Whether the bucket can hold checkpoints: it exists and is the operator's (HeadBucket), lies in an EU member-state region and in
    /// the region the sink writes to (<see cref="AuditStoreOptions.AnchorRegion"/>), and has Object Lock enabled
    /// (GetObjectLockConfiguration; without it every checkpoint could be deleted or replaced). Null when it can; else what is wrong,
    /// naming the setting and what to do. An AWS error other than these answers (throttling, the network) is said as such.
    /// </summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        var bucket = _options.AnchorBucket!;
        IManagementClients clients;
        try
        {
            clients = _aws.ForManagement(AwsActor.System(nameof(AuditChainWatch)), _options.AnchorRegion);
        }
        catch (Aws.Regions.RegionNotAllowedException ex)
        {
            return $"AuditStore:AnchorRegion '{_options.AnchorRegion}' is not an allowed region (Aws:AllowedRegions): {ex.Message}";
        }

        try
        {
            var head = await clients.S3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
            if (head.BucketRegion is { Length: > 0 } actual)
            {
                if (!Aws.Regions.EuRegions.IsMemberStateRegion(actual))
                {
                    return $"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) is in {actual}, not an EU member-state region: use a bucket in an allowed EU region";
                }

                if (!string.Equals(actual, clients.Region, StringComparison.Ordinal))
                {
                    return $"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) is in {actual}, but the operator writes checkpoints to {clients.Region} "
                        + $"(AuditStore:AnchorRegion): set AuditStore:AnchorRegion to {actual}";
                }
            }
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return $"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) does not exist in {clients.Region}: create it in the management account "
                + "with Object Lock enabled (create-bucket --object-lock-enabled-for-bucket), or correct the name";
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is "Forbidden" or "AccessDenied" || ex.HttpStatus == System.Net.HttpStatusCode.Forbidden)
        {
            return $"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) is not readable by the operator ({ex.ErrorCode}): it belongs to another account, "
                + "or the operator's policy lacks s3:ListBucket on it (docs/iam)";
        }
        catch (AwsServiceException ex)
        {
            return $"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) could not be checked ({ex.ErrorCode}: {ex.Message})";
        }

        try
        {
            var lockConfiguration = await clients.S3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }, cancellationToken);
            if (!string.Equals(lockConfiguration.ObjectLockEnabled, "Enabled", StringComparison.Ordinal))
            {
                return NoObjectLock(bucket);
            }
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return NoObjectLock(bucket);
        }
        catch (AwsServiceException ex)
        {
            return $"the Object Lock configuration of the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) could not be read ({ex.ErrorCode}: {ex.Message})";
        }

        return null;
    }

    private static string NoObjectLock(string bucket) =>
        $"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) has no Object Lock, so its checkpoints could be deleted or replaced: "
        + "use a bucket created with Object Lock enabled (create-bucket --object-lock-enabled-for-bucket)";

    public async Task<IReadOnlyList<ChainAnchor>> NewestAsync(string chain, int count, CancellationToken cancellationToken)
    {
        var prefix = $"{_options.AnchorPrefix}{chain}/";
        var page = await S3().ListObjectVersionsAsync(
            new ListObjectVersionsRequest { BucketName = _options.AnchorBucket!, Prefix = prefix, MaxKeys = Math.Max(count * 2, 20) },
            cancellationToken);
        var anchors = new Dictionary<string, ChainAnchor>(StringComparer.Ordinal);
        foreach (var version in page.Versions.Where(v => !v.IsDeleteMarker && v.Key is not null))
        {
            if (Parse(chain, version.Key![prefix.Length..], version.LastModified) is { } anchor
                && (!anchors.TryGetValue(version.Key, out var known) || known.Time > anchor.Time))
            {
                anchors[version.Key] = anchor; // the first version of a key is the checkpoint's time
            }
        }

        return [.. anchors.Values.OrderByDescending(a => a.Sequence).ThenByDescending(a => a.Time).Take(count)];
    }

    /// <summary>The object key of a checkpoint: the sequence inverted (newest first in key order), then the hash.</summary>
    internal string Key(string chain, long sequence, byte[] hash) =>
        string.Create(CultureInfo.InvariantCulture, $"{_options.AnchorPrefix}{chain}/{long.MaxValue - sequence:D19}-{Convert.ToHexStringLower(hash)}.json");

    private static ChainAnchor? Parse(string chain, string name, DateTimeOffset? time)
    {
        // {inverted:D19}-{hash:64 hex}.json; anything else under the prefix is not a checkpoint.
        if (name.Length != 19 + 1 + 64 + 5 || name[19] != '-' || !name.EndsWith(".json", StringComparison.Ordinal)
            || !long.TryParse(name.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var inverted))
        {
            return null;
        }

        try
        {
            return new ChainAnchor(chain, long.MaxValue - inverted, Convert.FromHexString(name.AsSpan(20, 64)), time ?? DateTimeOffset.MinValue);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private Aws.S3.IS3Client S3() => _aws.ForManagement(AwsActor.System(nameof(AuditChainWatch)), _options.AnchorRegion).S3;
}
