using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Cdn;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The CDN step against moto under the realism layer (InProgress, then Deployed; a new ETag per update; If-Match enforced).</summary>
[Collection(MotoCollection.Name)]
public sealed class CdnStepTests(MotoServerFixture moto) : IAsyncLifetime
{
    private const string Certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static ProjectStepHarness Host(MotoServerFixture moto, CdnSpec cdn)
    {
        var project = ProjectFixtures.Project("shop", s => s with { Cdn = cdn });
        project.Status = new ProjectStatus { Storage = new StorageStatus { BucketName = ProjectNames.For("tenants", "shop", project.Metadata.Uid!).Bucket } };
        return new ProjectStepHarness(moto, project);
    }

    private static CdnStep Step() => ProjectStepHarness.Step<CdnStep>(l => new CdnStep(l));

    [Fact]
    public async Task The_distribution_is_checkpointed_then_deploys_with_TLSv1_2_2021_and_an_unchanged_one_costs_reads_only()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate });
        var step = Step();

        var (outcome, passes) = await host.ConvergeAsync(step);

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Equal((ConditionReasons.Creating, nameof(ProjectWaits.WaitForDistribution)), (passes[0].Reason, passes[0].WaitName));
        Assert.InRange(passes.Count, 3, 20);
        var id = host.Project.Status!.Cdn!.DistributionId!;
        Assert.Contains(id, Assert.Single(host.Store.Snapshots), StringComparison.Ordinal);
        Assert.Equal(1, host.Log.Count("/2020-05-31/distribution"));
        Assert.Equal(("Deployed", "https://shop.example"), (host.Project.Status.Cdn.Status, host.Project.Status.Endpoint));

        var config = (await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id })).DistributionConfig!;
        Assert.True(CloudFrontDistributions.EnforcesMinimumTls(config));
        Assert.Equal(("redirect-to-https", "TLSv1.2_2021", "PriceClass_100"), (config.DefaultCacheBehavior!.ViewerProtocolPolicy, config.ViewerCertificate!.MinimumProtocolVersion, config.PriceClass));

        var audited = host.Audit.Records.Count;
        Assert.True((await step.RunAsync(host.Context(), CancellationToken.None)).IsReady);
        Assert.Equal(audited, host.Audit.Records.Count);
    }

    [Fact]
    public async Task With_the_access_function_both_origin_access_controls_come_from_one_list_and_a_drift_check_costs_ten_reads()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate });
        var step = Step();
        var access = new OpenKbs.Controllers.Projects.Components.Access.AccessFacts("https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-central-1.on.aws/", null, true);
        Assert.True((await host.ConvergeAsync(step, c => c.Facts.Add(access))).Outcome.IsReady);
        var config = (await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = host.Project.Status!.Cdn!.DistributionId! })).DistributionConfig!;
        Assert.Equal(CdnRendering.AuthPath, Assert.Single(config.CacheBehaviors!.Items!).PathPattern);
        var requests = host.Log.Operations.Count;

        Assert.True((await step.RunAsync(host.Context(c => c.Facts.Add(access)), CancellationToken.None)).IsReady);

        // GetDistribution, ListTagsForResource and one ListOriginAccessControls (moto echoes no OAC id) for both names, and the
        // log bucket's seven settings (tags, ownership, encryption, public access block, lifecycle, policy, ACL).
        var reads = host.Log.Operations.Skip(requests).ToList();
        Assert.Equal(10, reads.Count);
        Assert.Equal(1, reads.Count(o => o == "GET /2020-05-31/origin-access-control"));
    }

    [Fact]
    public async Task A_changed_distribution_is_put_back_with_If_Match_of_the_current_ETag()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate, PriceClass = CdnPriceClasses.PriceClass200 });
        var step = Step();
        Assert.True((await host.ConvergeAsync(step)).Outcome.IsReady);
        var id = host.Project.Status!.Cdn!.DistributionId!;
        var current = await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id });
        await host.Member.CloudFront.UpdateDistributionAsync(new UpdateDistributionRequest
        {
            Id = id,
            IfMatch = current.ETag!,
            DistributionConfig = current.DistributionConfig! with
            {
                PriceClass = "PriceClass_All",
                DefaultCacheBehavior = current.DistributionConfig.DefaultCacheBehavior! with { ViewerProtocolPolicy = "allow-all" },
            },
        });
        var stale = await Assert.ThrowsAsync<AwsServiceException>(() => host.Member.CloudFront.UpdateDistributionAsync(
            new UpdateDistributionRequest { Id = id, IfMatch = current.ETag!, DistributionConfig = current.DistributionConfig }));
        Assert.Equal("PreconditionFailed", stale.ErrorCode);
        var updates = host.Log.Operations.Count(o => o.StartsWith("PUT ", StringComparison.Ordinal));

        var (outcome, passes) = await host.ConvergeAsync(step);

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Equal(ConditionReasons.Updating, passes[0].Reason);
        Assert.Equal(updates + 1, host.Log.Operations.Count(o => o.StartsWith("PUT ", StringComparison.Ordinal)));
        var restored = (await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id })).DistributionConfig!;
        Assert.Equal(("PriceClass_200", "redirect-to-https"), (restored.PriceClass, restored.DefaultCacheBehavior!.ViewerProtocolPolicy));
        Assert.Contains(host.Events, e => e.Contains(CdnDelta.PriceClass, StringComparison.Ordinal) && e.Contains(CdnDelta.CacheBehavior, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Access_logs_go_to_a_private_TLS_only_encrypted_log_bucket_in_the_project_region_and_switched_off_logging_is_put_back()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate });
        var step = Step();
        Assert.True((await host.ConvergeAsync(step)).Outcome.IsReady);
        var id = host.Project.Status!.Cdn!.DistributionId!;
        var names = ProjectNames.For("tenants", "shop", host.Project.Metadata.Uid!);
        var logBucket = names.CdnLogBucket;

        var config = (await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id })).DistributionConfig!;
        Assert.Equal((true, false, $"{logBucket}.s3.amazonaws.com", CdnRendering.LogPrefix), (config.Logging!.Enabled, config.Logging.IncludeCookies, config.Logging.Bucket, config.Logging.Prefix));
        var s3 = host.Member.S3;
        Assert.Equal(ProjectStepHarness.Region, (await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = logBucket })).BucketRegion);
        Assert.Equal("AES256", (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = logBucket })).SSEAlgorithm);
        Assert.Equal(
            new PublicAccessBlockConfiguration { BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true },
            (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = logBucket })).PublicAccessBlockConfiguration);
        Assert.Contains("aws:SecureTransport", (await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = logBucket })).Policy, StringComparison.Ordinal);
        var rule = Assert.Single((await s3.GetBucketLifecycleConfigurationAsync(new GetBucketLifecycleConfigurationRequest { BucketName = logBucket })).Rules);
        Assert.Equal((CdnRendering.LogLifecycleRuleId, (int?)CdnRendering.LogRetentionDays), (rule.Id, rule.ExpirationDays));
        Assert.Contains((await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = logBucket })).TagSet, t => t.Key == Labels.Uid && t.Value == host.Project.Metadata.Uid);

        // Someone switches logging off: the drift check sees it and puts it back with one UpdateDistribution.
        var current = await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id });
        await host.Member.CloudFront.UpdateDistributionAsync(new UpdateDistributionRequest
        {
            Id = id,
            IfMatch = current.ETag!,
            DistributionConfig = current.DistributionConfig! with { Logging = new LoggingConfig { Enabled = false } },
        });

        var (outcome, passes) = await host.ConvergeAsync(step);

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Equal(ConditionReasons.Updating, passes[0].Reason);
        Assert.Contains(host.Events, e => e.Contains($"put back {CdnDelta.Logging}", StringComparison.Ordinal));
        var restored = (await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id })).DistributionConfig!;
        Assert.Equal((true, $"{logBucket}.s3.amazonaws.com"), (restored.Logging!.Enabled, restored.Logging.Bucket));
    }

    [Fact]
    public async Task Every_setting_of_the_log_bucket_changed_behind_our_back_is_put_back_by_one_pass_and_reported()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate });
        var step = Step();
        Assert.True((await host.ConvergeAsync(step)).Outcome.IsReady);
        var logBucket = ProjectNames.For("tenants", "shop", host.Project.Metadata.Uid!).CdnLogBucket;
        var s3 = host.Member.S3;
        var acl = await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = logBucket });
        Assert.Equal("BucketOwnerPreferred", (await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = logBucket })).ObjectOwnership);
        Assert.Contains(acl.Grants, g => g.GranteeId == CdnRendering.LogDeliveryCanonicalUser && g.Permission == "FULL_CONTROL");
        Assert.Contains(acl.Grants, g => g.GranteeId == acl.OwnerId && g.Permission == "FULL_CONTROL");
        var audited = host.Audit.Records.Count;
        Assert.True((await step.RunAsync(host.Context(), CancellationToken.None)).IsReady);
        Assert.Equal(audited, host.Audit.Records.Count); // a converged log bucket costs reads only

        // Behind the operator's back: ACLs owned by the writer, public access allowed, KMS instead of SSE-S3, the log-delivery
        // grant removed and a public read grant added, logs kept 400 days, the owner tags replaced, another policy.
        await s3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest { BucketName = logBucket, ObjectOwnership = "ObjectWriter" });
        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = logBucket, PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration() });
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = logBucket, SSEAlgorithm = "aws:kms" });
        await s3.PutBucketAclAsync(new PutBucketAclRequest
        {
            BucketName = logBucket,
            Grants = [new Grant { GranteeId = acl.OwnerId, Permission = "FULL_CONTROL" }, new Grant { GranteeUri = "http://acs.amazonaws.com/groups/global/AllUsers", Permission = "READ" }],
        });
        await s3.PutBucketLifecycleConfigurationAsync(new PutBucketLifecycleConfigurationRequest { BucketName = logBucket, Rules = [CdnRendering.LogLifecycle with { ExpirationDays = 400 }] });
        await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = logBucket, TagSet = [new OpenKbs.Aws.S3.Model.Tag { Key = "team", Value = "web" }] });
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = logBucket, Policy = S3BucketPolicies.TlsOnly("someone-elses-bucket") });
        audited = host.Audit.Records.Count;

        var outcome = await step.RunAsync(host.Context(), CancellationToken.None);

        Assert.True(outcome.IsReady, outcome.ToString());
        string[] paths = [LogBucketDelta.ObjectOwnership, LogBucketDelta.PublicAccessBlock, LogBucketDelta.Encryption, LogBucketDelta.Acl, LogBucketDelta.Lifecycle, LogBucketDelta.Tags, LogBucketDelta.Policy];
        Assert.Contains(host.Events, e => e.Contains($"log bucket {logBucket}: put back {string.Join(", ", paths)}", StringComparison.Ordinal));
        Assert.Equal(paths.Length, host.Audit.Records.Count - audited); // one audited S3 write per path
        Assert.Equal("BucketOwnerPreferred", (await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = logBucket })).ObjectOwnership);
        Assert.Equal(
            new PublicAccessBlockConfiguration { BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true },
            (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = logBucket })).PublicAccessBlockConfiguration);
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = logBucket });
        Assert.Equal(("AES256", (string?)null), (encryption.SSEAlgorithm, encryption.KMSMasterKeyID));
        var restored = await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = logBucket });
        Assert.Equal(
            new[] { $"{acl.OwnerId}=FULL_CONTROL", $"{CdnRendering.LogDeliveryCanonicalUser}=FULL_CONTROL" }.Order(StringComparer.Ordinal),
            restored.Grants.Select(g => $"{g.GranteeId ?? g.GranteeUri}={g.Permission}").Order(StringComparer.Ordinal));
        Assert.Equal(CdnRendering.LogRetentionDays, Assert.Single((await s3.GetBucketLifecycleConfigurationAsync(new GetBucketLifecycleConfigurationRequest { BucketName = logBucket })).Rules).ExpirationDays);
        var tags = (await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = logBucket })).TagSet;
        Assert.Contains(tags, t => t.Key == Labels.Uid && t.Value == host.Project.Metadata.Uid);
        Assert.Contains(tags, t => t.Key == "team"); // other tools' tags are kept
        Assert.True(PolicyDocuments.Equivalent(
            (await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = logBucket })).Policy, S3BucketPolicies.TlsOnly(logBucket)));

        // Put back once: the next pass finds nothing to write.
        audited = host.Audit.Records.Count;
        Assert.True((await step.RunAsync(host.Context(), CancellationToken.None)).IsReady);
        Assert.Equal(audited, host.Audit.Records.Count);
    }

    [Fact]
    public async Task Deleting_the_project_leaves_the_log_bucket_and_its_logs_in_place_released_like_the_data_bucket()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate });
        var storage = ProjectStepHarness.Step<OpenKbs.Controllers.Projects.Components.Storage.StorageStep>(l => new OpenKbs.Controllers.Projects.Components.Storage.StorageStep(l));
        var step = Step();
        Assert.True((await host.ConvergeAsync(storage)).Outcome.IsReady);
        Assert.True((await host.ConvergeAsync(step)).Outcome.IsReady);
        var names = ProjectNames.For("tenants", "shop", host.Project.Metadata.Uid!);
        var s3 = host.Member.S3;

        // Client data in the data bucket, and a log file CloudFront delivered into the log bucket.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = names.Bucket, Key = "index.html", ContentBody = "<html></html>"u8.ToArray() });
        var logKey = $"{CdnRendering.LogPrefix}{host.Project.Status!.Cdn!.DistributionId}.2026-12-05-10.abcd1234.gz";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = names.CdnLogBucket, Key = logKey, ContentBody = [0x1f, 0x8b] });

        // deletionPolicy Delete, steps finalized in reverse order (the CDN before storage).
        var (cdnOutcome, _) = await host.FinalizeAsync(step, ProjectDeletionPolicy.Delete);
        var (storageOutcome, _) = await host.FinalizeAsync(storage, ProjectDeletionPolicy.Delete);

        Assert.True(cdnOutcome.IsReady, cdnOutcome.ToString());
        Assert.True(storageOutcome.IsReady, storageOutcome.ToString());
        Assert.Contains($"log bucket {names.CdnLogBucket} kept with its access logs (tagged {Labels.Released})", cdnOutcome.Message, StringComparison.Ordinal);
        Assert.Contains(host.Events, e => e.Contains($"log bucket {names.CdnLogBucket} holds CloudFront access logs and is kept", StringComparison.Ordinal));
        Assert.Contains(host.Events, e => e.Contains($"bucket {names.Bucket} holds data and is kept", StringComparison.Ordinal));
        Assert.Equal(2, (await s3.HeadObjectAsync(new HeadObjectRequest { BucketName = names.CdnLogBucket, Key = logKey })).ContentLength);
        Assert.Equal(13, (await s3.HeadObjectAsync(new HeadObjectRequest { BucketName = names.Bucket, Key = "index.html" })).ContentLength);
        var logTags = (await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = names.CdnLogBucket })).TagSet;
        var dataTags = (await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = names.Bucket })).TagSet;
        foreach (var tags in new[] { logTags, dataTags })
        {
            Assert.Contains(tags, t => t.Key == Labels.Released && DateTimeOffset.TryParse(t.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
            Assert.Contains(tags, t => t.Key == Labels.Uid && t.Value == host.Project.Metadata.Uid); // still names its Project
        }

        // The policy and the lifecycle stay: the logs are still private, TLS only, and expire on their own.
        Assert.Equal(CdnRendering.LogRetentionDays, Assert.Single((await s3.GetBucketLifecycleConfigurationAsync(new GetBucketLifecycleConfigurationRequest { BucketName = names.CdnLogBucket })).Rules).ExpirationDays);

        // A Project created again with the same identity adopts the released log bucket: the released tag goes.
        host.Project.Status.Cdn = null;
        Assert.True((await host.ConvergeAsync(step)).Outcome.IsReady);
        Assert.DoesNotContain((await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = names.CdnLogBucket })).TagSet, t => t.Key == Labels.Released);
    }

    [Fact]
    public async Task Delete_disables_waits_for_Deployed_and_deletes_with_If_Match()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate });
        var step = Step();
        Assert.True((await host.ConvergeAsync(step)).Outcome.IsReady);
        var id = host.Project.Status!.Cdn!.DistributionId!;

        Assert.True((await host.FinalizeAsync(step, ProjectDeletionPolicy.Retain)).Outcome.IsReady);
        Assert.Contains((await host.Member.CloudFront.ListTagsForResourceAsync(new ListTagsForResourceRequest { Resource = $"arn:aws:cloudfront::123456789012:distribution/{id}" })).Tags!.Items!, t => t.Key == Labels.Released);

        var (outcome, passes) = await host.FinalizeAsync(step, ProjectDeletionPolicy.Delete);

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Contains(passes, p => p.Message.Contains("disabled", StringComparison.Ordinal));
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => host.Member.CloudFront.GetDistributionAsync(new GetDistributionRequest { Id = id }));
        Assert.True(gone.IsNotFound);
        Assert.Null(host.Project.Status.Cdn);
        Assert.Empty((await host.Member.CloudFront.ListOriginAccessControlsAsync(new ListOriginAccessControlsRequest())).OriginAccessControlList?.Items ?? []);
    }

    [Fact]
    public async Task An_enabled_CDN_without_a_certificate_is_terminal_and_creates_nothing()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true });
        var outcome = await Step().RunAsync(host.Context(), CancellationToken.None);
        Assert.Equal("TerminalTlsRequiresCertificate", outcome.Reason);
        Assert.Empty(host.Log.Operations);
    }

    [Fact]
    public async Task An_update_that_loses_the_ETag_race_gets_412_and_the_next_pass_re_reads_and_converges()
    {
        using var host = Host(moto, new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate });
        var step = Step();
        Assert.True((await host.ConvergeAsync(step)).Outcome.IsReady);
        var id = host.Project.Status!.Cdn!.DistributionId!;
        host.Project.Spec = host.Project.Spec with { Cdn = host.Project.Spec.Cdn! with { PriceClass = CdnPriceClasses.PriceClass200 } };
        var racing = new RacingCloudFront(host.Member, async () =>
        {
            var current = await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id });
            await host.Member.CloudFront.UpdateDistributionAsync(new UpdateDistributionRequest { Id = id, IfMatch = current.ETag!, DistributionConfig = current.DistributionConfig! with { Comment = "someone else" } });
        });
        host.StepClients = racing;

        var first = await step.RunAsync(host.Context(), CancellationToken.None);
        Assert.True(racing.Raced);
        Assert.Equal((ConditionReasons.Updating, nameof(ProjectWaits.WaitForNextPhase)), (first.Reason, first.WaitName));
        Assert.Contains("ETag", first.Message, StringComparison.Ordinal);

        var (outcome, _) = await host.ConvergeAsync(step);

        Assert.True(outcome.IsReady, outcome.ToString());
        var config = (await host.Member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id })).DistributionConfig!;
        Assert.Equal(("PriceClass_200", CdnRendering.DistributionComment(ProjectNames.For("tenants", "shop", host.Project.Metadata.Uid!))), (config.PriceClass, config.Comment));
    }
}
