using OpenKbs.Aws.Clients;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Aws.Scheduler.Model;

namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>
/// Takes an <see cref="AccountInventory"/> through the member-account clients (the 900 s session into the access role), with
/// read calls only: every function of the region (ListFunctions carries CodeSha256), every version of each given bucket
/// (ListObjectVersions, all pages), every database cluster, distribution, schedule and customer-managed key alias. The buckets
/// are the projects' (there is no ListBuckets in the AWS layer; the projects' status names them).
/// </summary>
internal static class InventoryCollector
{
    /// <summary>The prefix of the aliases AWS manages itself (aws/s3, aws/rds, ...): not the client's keys.</summary>
    private const string AwsManagedAliasPrefix = "alias/aws/";

    public static async Task<AccountInventory> CollectAsync(IMemberAccountClients member, IEnumerable<string> buckets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(buckets);
        var functions = (await member.Lambda.ListFunctionsAsync(new ListFunctionsRequest(), cancellationToken)).Functions
            .Where(f => f.FunctionName is not null)
            .Select(f => new FunctionItem(f.FunctionName!, f.CodeSha256, f.Runtime, f.CodeSize))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

        var bucketItems = new List<BucketItem>();
        foreach (var bucket in buckets.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            bucketItems.Add(await CountAsync(member, bucket, cancellationToken));
        }

        var clusters = (await member.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest(), cancellationToken)).DBClusters
            .Where(c => c.DBClusterIdentifier is not null)
            .Select(c => new DatabaseClusterItem(c.DBClusterIdentifier!, c.Status, c.Engine, c.LatestRestorableTime))
            .OrderBy(c => c.Identifier, StringComparer.Ordinal)
            .ToList();

        var distributions = ((await member.CloudFront.ListDistributionsAsync(new ListDistributionsRequest(), cancellationToken)).DistributionList?.Items ?? [])
            .Where(d => d.Id is not null)
            .Select(d => new DistributionItem(d.Id!, d.DomainName, d.Status, d.Enabled))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

        var schedules = (await member.Scheduler.ListSchedulesAsync(new ListSchedulesRequest(), cancellationToken)).Schedules
            .Where(s => s.Name is not null)
            .Select(s => new ScheduleItem(s.GroupName ?? "default", s.Name!, s.State))
            .OrderBy(s => s.Group, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        var keys = new List<KeyItem>();
        foreach (var alias in (await member.Kms.ListAliasesAsync(new ListAliasesRequest(), cancellationToken)).Aliases
                     .Where(a => a.AliasName is not null && a.TargetKeyId is not null && !a.AliasName.StartsWith(AwsManagedAliasPrefix, StringComparison.Ordinal))
                     .OrderBy(a => a.AliasName, StringComparer.Ordinal))
        {
            var metadata = (await member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = alias.TargetKeyId! }, cancellationToken)).KeyMetadata;
            keys.Add(new KeyItem(alias.AliasName!, metadata?.KeyId ?? alias.TargetKeyId!, metadata?.KeyState));
        }

        return new AccountInventory
        {
            AccountId = member.AccountId,
            Region = member.Region,
            TakenAt = now,
            Functions = functions,
            Buckets = bucketItems,
            DatabaseClusters = clusters,
            Distributions = distributions,
            Schedules = schedules,
            Keys = keys,
        };
    }

    private static async Task<BucketItem> CountAsync(IMemberAccountClients member, string bucket, CancellationToken cancellationToken)
    {
        long objects = 0, versions = 0, markers = 0, bytes = 0;
        string? keyMarker = null, versionMarker = null;
        while (true)
        {
            var page = await member.S3.ListObjectVersionsAsync(
                new ListObjectVersionsRequest { BucketName = bucket, KeyMarker = keyMarker, VersionIdMarker = versionMarker },
                cancellationToken);
            foreach (var version in page.Versions)
            {
                if (version.IsDeleteMarker)
                {
                    markers++;
                    continue;
                }

                versions++;
                bytes += version.Size ?? 0;
                if (version.IsLatest)
                {
                    objects++;
                }
            }

            if (!page.IsTruncated || (page.NextKeyMarker is null && page.NextVersionIdMarker is null))
            {
                return new BucketItem(bucket, objects, versions, markers, bytes);
            }

            (keyMarker, versionMarker) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }
    }
}
