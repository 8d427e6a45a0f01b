using OpenKbs.Api.V1Alpha1;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Infrastructure;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Permissions;
using OpenKbs.Controllers.AuditRuns;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Projects;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;
using CloudFront = OpenKbs.Aws.CloudFront.Model;
using Iam = OpenKbs.Aws.Iam.Model;
using Lambda = OpenKbs.Aws.Lambda.Model;
using Rds = OpenKbs.Aws.Rds.Model;
using S3 = OpenKbs.Aws.S3.Model;

namespace OpenKbs.Controllers.Tests.AuditRuns;

/// <summary>
/// The infrastructure collector on moto: a full project the operator deployed (database with deletion protection, CDN with a
/// custom certificate, a schedule) in an organization account held by the region guard reads back as compliant (no findings);
/// then misconfigurations made directly in moto (public access block off, a function URL without auth, an open resource policy,
/// a wildcard inline policy and an allow-everything managed policy on the execution role, short backups without deletion protection, HTTP on
/// the distribution's default and an added cache behaviour, write methods to the S3 origin, an added HTTP origin allowing TLS 1.0,
/// a foreign account trusted without an external id, the scheduler role's trust without aws:SourceAccount, the region guard
/// detached, a wildcard policy on another role the project owns and an allow-everything policy on a role that trusts the
/// execution role) come back as exactly the expected findings; another project's role and an unrelated role are not read. The collector only reads: the
/// audit trail records no mutation of its, every call is a Get/List/Describe, and the generated policies grant each one.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class InfrastructureCollectorTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task A_deployed_project_reads_compliant_and_each_misconfiguration_made_in_moto_becomes_its_finding()
    {
        // An organization account held to eu-central-1 by the operator's region guard.
        using var org = new AwsHost(moto.Endpoint);
        var organizations = org.Organizations;
        var rootId = await RootAsync(organizations);
        var accountId = await AccountAsync(organizations);
        var guard = RegionGuardPolicy.For(["eu-central-1"]);
        var guardId = (await organizations.CreatePolicyAsync(new CreatePolicyRequest
        {
            Name = guard.Name + "-" + accountId, Description = guard.Description, Content = guard.Content, Type = RegionGuardPolicy.PolicyType,
        })).Policy!.PolicySummary!.Id!;
        await organizations.AttachPolicyAsync(new AttachPolicyRequest { PolicyId = guardId, TargetId = accountId });
        output.WriteLine($"root {rootId}, account {accountId}, guard {guardId}");

        var spec = ProjectFixtures.Spec() with
        {
            Database = new DatabaseSpec { Enabled = true, DeletionProtection = true },
            Cdn = new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = ProjectStepHarness.Certificate },
            Schedules = [new ScheduleSpec { Name = "nightly", Expression = "cron(0 2 * * ? *)", Timezone = "Europe/Berlin", Function = "fn1" }],
        };
        using var h = await ProjectStepHarness.StartAsync(moto, sandbox, spec, accountId);
        var (key, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
        h.Deploy("1.0.0", key, sha);
        h.Options.WaitForDatabase = TimeSpan.Zero;
        h.Options.WaitForDistribution = TimeSpan.Zero;
        var converged = await h.ConvergeAsync(maxPasses: 40, h.AllSteps);
        Assert.True(converged.Values.All(o => o.IsReady), string.Join("; ", converged.Select(o => $"{o.Key}: {o.Value}")));

        // Compliant: every resource read, no gap, no finding.
        var (clean, cleanFindings) = await CollectAsync(h, org);
        output.WriteLine(clean.ToJson());
        Assert.Empty(clean.Gaps);
        Assert.Equal([RoleSnapshot.ExecutionRole, RoleSnapshot.SchedulerRole], clean.Roles.Take(2).Select(r => r.Reason));
        Assert.All(clean.Roles.Skip(2), r => Assert.Equal(RoleSnapshot.OwnedRole, r.Reason));
        Assert.Single(clean.Buckets);
        Assert.Equal(h.Project.Spec.Functions!.Count, clean.Functions.Count);
        Assert.Single(clean.Distributions);
        Assert.Single(clean.Databases);
        Assert.Single(clean.Keys);
        Assert.Contains(clean.RegionGuard!.Policies, p => p.Id == guardId);
        Assert.True(cleanFindings.Count == 0, string.Join("\n", cleanFindings.Select(f => $"{f.RuleId} {f.Message}")));
        Assert.Equal(clean.Sha256(), (await CollectAsync(h, org)).Snapshot.Sha256());

        // Misconfigured directly in moto, as a client with console access could.
        var client = h.Factory.ForAccount(accountId, "OrganizationAccountAccessRole", ProjectStepHarness.Region, AwsHost.Actor);
        var names = h.Names;
        var function = names.Function(h.Project.Spec.Functions![0].Name);
        await client.S3.PutPublicAccessBlockAsync(new S3.PutPublicAccessBlockRequest
        {
            BucketName = names.Bucket,
            PublicAccessBlockConfiguration = new S3.PublicAccessBlockConfiguration { BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = false, RestrictPublicBuckets = false },
        });
        await client.Lambda.CreateFunctionUrlConfigAsync(new Lambda.CreateFunctionUrlConfigRequest { FunctionName = function, AuthType = "NONE" });
        await client.Lambda.AddPermissionAsync(new Lambda.AddPermissionRequest { FunctionName = function, StatementId = "anyone", Action = "lambda:InvokeFunction", Principal = "*" });
        await client.Iam.PutRolePolicyAsync(new Iam.PutRolePolicyRequest
        {
            RoleName = names.ExecutionRole, PolicyName = "quick-fix",
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
        });
        var admin = await ManagedPolicyAsync(accountId, "everything", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        await client.Iam.AttachRolePolicyAsync(new Iam.AttachRolePolicyRequest { RoleName = names.ExecutionRole, PolicyArn = admin });
        await client.Rds.ModifyDBClusterAsync(new Rds.ModifyDBClusterRequest { DBClusterIdentifier = names.DatabaseCluster, BackupRetentionPeriod = 1, DeletionProtection = false, ApplyImmediately = true });
        var distributionId = h.Project.Status!.Cdn!.DistributionId!;
        var config = await client.CloudFront.GetDistributionConfigAsync(new CloudFront.GetDistributionConfigRequest { Id = distributionId });
        var current = config.DistributionConfig!;
        var s3Origin = current.DefaultCacheBehavior!.TargetOriginId!;
        // Every cache behaviour is judged, not only the default: an upload path that takes PUT over HTTP to the bucket, and a
        // legacy API origin reached over HTTP with TLS 1.0 allowed.
        var legacy = new CloudFront.Origin
        {
            Id = "legacy-api", DomainName = "legacy.shop.example", OriginPath = string.Empty,
            CustomOriginConfig = new CloudFront.CustomOriginConfig
            {
                HTTPPort = 80, HTTPSPort = 443, OriginProtocolPolicy = "http-only", OriginSslProtocols = new CloudFront.OriginSslProtocols { Quantity = 2, Items = ["TLSv1", "TLSv1.2"] },
            },
        };
        CloudFront.CacheBehavior Behaviour(string path, string origin, string viewer, params string[] methods) => new()
        {
            PathPattern = path, TargetOriginId = origin, ViewerProtocolPolicy = viewer, CachePolicyId = current.DefaultCacheBehavior.CachePolicyId,
            AllowedMethods = new CloudFront.AllowedMethods { Quantity = methods.Length, Items = methods, CachedMethods = new CloudFront.CachedMethods { Quantity = 2, Items = ["GET", "HEAD"] } },
        };
        List<CloudFront.CacheBehavior> behaviours =
        [
            .. current.CacheBehaviors?.Items ?? [],
            Behaviour("/uploads/*", s3Origin, "allow-all", "GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"),
            Behaviour("/legacy/*", "legacy-api", "https-only", "GET", "HEAD"),
        ];
        List<CloudFront.Origin> origins = [.. current.Origins!.Items!, legacy];
        await client.CloudFront.UpdateDistributionAsync(new CloudFront.UpdateDistributionRequest
        {
            Id = distributionId, IfMatch = config.ETag!,
            DistributionConfig = current with
            {
                DefaultCacheBehavior = current.DefaultCacheBehavior with { ViewerProtocolPolicy = "allow-all" },
                ViewerCertificate = current.ViewerCertificate! with { MinimumProtocolVersion = "TLSv1" },
                CacheBehaviors = new CloudFront.CacheBehaviors { Quantity = behaviours.Count, Items = behaviours },
                Origins = new CloudFront.Origins { Quantity = origins.Count, Items = origins },
            },
        });
        // Trust policies: the execution role also trusts another account without an external id; the scheduler role lost its
        // aws:SourceAccount condition (any account's schedules could use it).
        await client.Iam.UpdateAssumeRolePolicyAsync(new Iam.UpdateAssumeRolePolicyRequest
        {
            RoleName = names.ExecutionRole,
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"sts:AssumeRole"}]}""",
        });
        await client.Iam.UpdateAssumeRolePolicyAsync(new Iam.UpdateAssumeRolePolicyRequest
        {
            RoleName = names.SchedulerRole,
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
        });
        await organizations.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = guardId, TargetId = accountId });

        // The rules that the operator's own configuration never trips, each made live too: a public read statement added to the
        // bucket policy (its TLS-only Deny kept), default encryption switched to AES256, the project key's rotation off, the
        // database's writer made publicly accessible (encryption cannot be turned off in place: RDS-ENC-002 stays a snapshot proof).
        var bucketPolicy = System.Text.Json.Nodes.JsonNode.Parse((await client.S3.GetBucketPolicyAsync(new S3.GetBucketPolicyRequest { BucketName = names.Bucket })).Policy!)!;
        bucketPolicy["Statement"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse(
            $$"""{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{names.Bucket}}/public/*"}"""));
        await client.S3.PutBucketPolicyAsync(new S3.PutBucketPolicyRequest { BucketName = names.Bucket, Policy = bucketPolicy.ToJsonString() });
        await ClientCliAsync(accountId, "s3api", "put-bucket-encryption", "--bucket", names.Bucket,
            "--server-side-encryption-configuration", """{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}""");
        var keyArn = h.Project.Status!.Storage!.KmsKeyArn!;
        await ClientCliAsync(accountId, "kms", "disable-key-rotation", "--key-id", keyArn);
        await ClientCliAsync(accountId, "rds", "modify-db-instance", "--db-instance-identifier", names.DatabaseInstance, "--publicly-accessible", "--apply-immediately");

        // Roles besides the execution and scheduler roles: one the project owns (its uid tag, the operator's prefix) with a wildcard
        // inline policy; one of any name that trusts the execution role (the functions can become it) with an allow-everything
        // managed policy attached, AdministratorAccess-like (moto loads no AWS managed policies); and two that are not the project's
        // (another project's role with its own uid tag, an unrelated administrator role): read neither.
        var uid = h.Project.Metadata.Uid!;
        var executionArn = $"arn:aws:iam::{accountId}:role/{names.ExecutionRole}";
        var lambdaTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        var owned = $"okbs-worker-{names.Hash}-jobs";
        await client.Iam.CreateRoleAsync(new Iam.CreateRoleRequest { RoleName = owned, AssumeRolePolicyDocument = lambdaTrust, Tags = [new Iam.Tag { Key = "openkbs.com/uid", Value = uid }] });
        await client.Iam.PutRolePolicyAsync(new Iam.PutRolePolicyRequest
        {
            RoleName = owned, PolicyName = "tables", PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Sid":"AllTables","Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}""",
        });
        await client.Iam.CreateRoleAsync(new Iam.CreateRoleRequest
        {
            RoleName = "reporting",
            AssumeRolePolicyDocument = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{executionArn}}"},"Action":"sts:AssumeRole"}]}""",
        });
        var reportingAdmin = await ManagedPolicyAsync(accountId, "reporting-everything", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        await client.Iam.AttachRolePolicyAsync(new Iam.AttachRolePolicyRequest { RoleName = "reporting", PolicyArn = reportingAdmin });
        var foreign = $"okbs-other-{names.Hash}-exec";
        await client.Iam.CreateRoleAsync(new Iam.CreateRoleRequest { RoleName = foreign, AssumeRolePolicyDocument = lambdaTrust, Tags = [new Iam.Tag { Key = "openkbs.com/uid", Value = Guid.NewGuid().ToString() }] });
        await client.Iam.AttachRolePolicyAsync(new Iam.AttachRolePolicyRequest { RoleName = foreign, PolicyArn = reportingAdmin });
        await client.Iam.CreateRoleAsync(new Iam.CreateRoleRequest
        {
            RoleName = "break-glass-admin",
            AssumeRolePolicyDocument = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{accountId}}:root"},"Action":"sts:AssumeRole"}]}""",
        });
        await client.Iam.AttachRolePolicyAsync(new Iam.AttachRolePolicyRequest { RoleName = "break-glass-admin", PolicyArn = reportingAdmin });

        var (misconfigured, findings) = await CollectAsync(h, org);
        foreach (var f in findings)
        {
            output.WriteLine($"{f.Severity} {f.RuleId} {f.Resource}: {f.Message}");
        }

        var rules = findings.Select(f => f.RuleId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["ACCT-REGION-001", "CF-HTTPS-002", "CF-HTTPS-002", "CF-METHODS-010", "CF-ORIGIN-003", "CF-ORIGINTLS-007", "CF-TLS-001", "IAM-ADMIN-001", "IAM-ADMIN-001", "IAM-DEPUTY-009",
                "IAM-TRUST-005", "IAM-WILD-002", "IAM-WILD-002", "KMS-ROT-001", "LMB-POL-002", "LMB-URL-001", "RDS-BKP-004", "RDS-DEL-005", "RDS-PUB-001", "S3-BPA-001", "S3-ENC-003",
                "S3-PUB-002"],
            rules);
        Assert.Equal("MinimumProtocolVersion TLSv1", findings.Single(f => f.RuleId == "CF-TLS-001").Evidence);
        Assert.Equal(keyArn, findings.Single(f => f.RuleId == "KMS-ROT-001").Resource);
        Assert.Contains(names.DatabaseInstance, findings.Single(f => f.RuleId == "RDS-PUB-001").Evidence, StringComparison.Ordinal);
        Assert.Equal("SSEAlgorithm AES256", findings.Single(f => f.RuleId == "S3-ENC-003").Evidence);
        Assert.StartsWith("Sid PublicRead: Allow s3:GetObject", findings.Single(f => f.RuleId == "S3-PUB-002").Evidence, StringComparison.Ordinal);
        var added = misconfigured.Roles.Where(r => clean.Roles.All(c => c.Name != r.Name)).Select(r => (r.Name, r.Reason)).ToList();
        Assert.Equal([(owned, RoleSnapshot.OwnedRole), ("reporting", RoleSnapshot.TrustsExecutionRole)], added);
        Assert.DoesNotContain(misconfigured.Roles, r => r.Name == foreign || r.Name == "break-glass-admin");
        var ownedWildcard = findings.Single(f => f.RuleId == "IAM-WILD-002" && f.Resource == $"arn:aws:iam::{accountId}:role/{owned}");
        Assert.Equal("Sid AllTables: Allow dynamodb:* on *", ownedWildcard.Evidence);
        Assert.Contains("inline policy tables", ownedWildcard.Message, StringComparison.Ordinal);
        var reporting = findings.Single(f => f.RuleId == "IAM-ADMIN-001" && f.Resource == $"arn:aws:iam::{accountId}:role/reporting");
        Assert.Equal("Allow * on *", reporting.Evidence);
        Assert.Contains("managed policy reporting-everything", reporting.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Critical, reporting.Severity);
        Assert.Equal(["default: allow-all", "/uploads/*: allow-all"], findings.Where(f => f.RuleId == "CF-HTTPS-002").Select(f => f.Evidence!["ViewerProtocolPolicy ".Length..]));
        Assert.Contains("/uploads/*", findings.Single(f => f.RuleId == "CF-METHODS-010").Message, StringComparison.Ordinal);
        Assert.Contains("legacy-api", findings.Single(f => f.RuleId == "CF-ORIGIN-003").Message, StringComparison.Ordinal);
        Assert.Contains("TLSv1", findings.Single(f => f.RuleId == "CF-ORIGINTLS-007").Message, StringComparison.Ordinal);
        Assert.Contains("210987654321", findings.Single(f => f.RuleId == "IAM-TRUST-005").Message, StringComparison.Ordinal);
        Assert.Equal($"arn:aws:iam::{accountId}:role/{names.SchedulerRole}", findings.Single(f => f.RuleId == "IAM-DEPUTY-009").Resource);
        Assert.All(findings, f => Assert.Equal("infrastructure", f.Analyzer));
        Assert.Contains(findings, f => f.RuleId == "IAM-ADMIN-001" && f.Resource == executionArn);
        Assert.Contains(findings, f => f.RuleId == "IAM-WILD-002" && f.Resource == executionArn);
        Assert.Equal(Severity.Critical, findings.Single(f => f.RuleId == "LMB-POL-002").Severity);
        Assert.Contains(function, findings.Single(f => f.RuleId == "LMB-URL-001").Resource, StringComparison.Ordinal);
        Assert.Contains("BlockPublicPolicy false, RestrictPublicBuckets false", findings.Single(f => f.RuleId == "S3-BPA-001").Evidence, StringComparison.Ordinal);
    }

    /// <summary>Runs the collector and the rules, asserting it only read: no audited mutation, Get/List/Describe only, each call granted.</summary>
    private static async Task<(InfrastructureSnapshot Snapshot, IReadOnlyList<Finding> Findings)> CollectAsync(ProjectStepHarness h, AwsHost org)
    {
        var actor = Aws.Audit.AwsActor.System("auditrun-collector");
        var member = h.Factory.ForAccount(h.AccountId, "OrganizationAccountAccessRole", ProjectStepHarness.Region, actor);
        var before = (h.Calls.Calls.Count, h.Audit.Records.Count, org.Calls.Calls.Count, org.Audit.Records.Count);

        var snapshot = await InfrastructureCollector.CollectAsync(h.Project, h.Account, member, org.Factory.ForManagement(actor).Organizations, CancellationToken.None);

        var calls = h.Calls.Calls.Skip(before.Item1).Concat(org.Calls.Calls.Skip(before.Item3)).Where(c => c.Actor == actor).ToList();
        Assert.NotEmpty(calls);
        Assert.Equal(before.Item2, h.Audit.Records.Count);
        Assert.Equal(before.Item4, org.Audit.Records.Count);
        var reads = new[] { "Get", "List", "Describe" };
        Assert.All(calls.Where(c => c.Action != "sts:AssumeRole"), c => Assert.True(reads.Any(r => c.Action.Split(':')[1].StartsWith(r, StringComparison.Ordinal)), $"{c.Action} is not a read"));
        var management = OperatorPermissions.ManagementPolicy().Actions;
        var memberPolicy = OperatorPermissions.MemberPolicy().Actions;
        var denied = calls.SelectMany(c => c.IamActions.Where(a => !(c.AccountId is null ? management : memberPolicy).Contains(a)).Select(a => $"{c.Action} needs {a}")).Distinct().ToList();
        Assert.True(denied.Count == 0, string.Join("\n", denied));
        Assert.Contains(calls, c => c.Action == "lambda:GetFunctionUrlConfig");
        Assert.Contains(calls, c => c.Action == "organizations:ListPoliciesForTarget" && c.AccountId is null);
        var problems = new List<string>();
        var findings = InfrastructureRules.Evaluate(snapshot, problems);
        Assert.Empty(problems);
        return (snapshot, findings);
    }

    /// <summary>A customer managed policy created in the member account with the aws CLI through a 900 s session, as a client would; returns its ARN.</summary>
    private async Task<string> ManagedPolicyAsync(string accountId, string name, string document)
    {
        var created = await ClientCliAsync(accountId, "iam", "create-policy", "--policy-name", name, "--policy-document", document);
        var arn = created.Json().GetProperty("Policy").GetProperty("Arn").GetString()!;
        Assert.Contains(accountId, arn, StringComparison.Ordinal);
        return arn;
    }

    /// <summary>The aws CLI in the member account through a 900 s session, as a client with console access would use it; asserts success.</summary>
    private async Task<AwsCliResult> ClientCliAsync(string accountId, params string[] args)
    {
        var assumed = await AwsCli.RunAsync(moto.Endpoint, ["sts", "assume-role", "--role-arn", $"arn:aws:iam::{accountId}:role/OrganizationAccountAccessRole", "--role-session-name", "client", "--duration-seconds", "900"]);
        Assert.True(assumed.ExitCode == 0, assumed.ToString());
        var credentials = assumed.Json().GetProperty("Credentials");
        var session = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.GetProperty("AccessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.GetProperty("SecretAccessKey").GetString()!,
            ["AWS_SESSION_TOKEN"] = credentials.GetProperty("SessionToken").GetString()!,
            ["AWS_DEFAULT_REGION"] = ProjectStepHarness.Region,
        };
        var result = await AwsCli.RunAsync(moto.Endpoint, args, session);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static async Task<string> RootAsync(IOrganizationsClient organizations)
    {
        try
        {
            await organizations.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" });
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == "AlreadyInOrganizationException")
        {
        }

        var rootId = (await organizations.ListRootsAsync(new ListRootsRequest())).Roots.Single().Id!;
        try
        {
            await organizations.EnablePolicyTypeAsync(new EnablePolicyTypeRequest { RootId = rootId, PolicyType = RegionGuardPolicy.PolicyType });
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.PolicyTypeAlreadyEnabledException)
        {
        }

        return rootId;
    }

    private static async Task<string> AccountAsync(IOrganizationsClient organizations)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var status = (await organizations.CreateAccountAsync(new CreateAccountRequest { Email = $"aws+audit-{suffix}@example.com", AccountName = $"audit-{suffix}" })).CreateAccountStatus!;
        for (var i = 0; status.AccountId is null && i < 20; i++)
        {
            await Task.Delay(200);
            status = (await organizations.DescribeCreateAccountStatusAsync(new DescribeCreateAccountStatusRequest { CreateAccountRequestId = status.Id! })).CreateAccountStatus!;
        }

        return status.AccountId ?? throw new InvalidOperationException("moto created no account");
    }
}
