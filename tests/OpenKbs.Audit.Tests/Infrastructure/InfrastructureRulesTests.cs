using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Infrastructure;
using OpenKbs.Audit.Reports;

namespace OpenKbs.Audit.Tests.Infrastructure;

/// <summary>Each infrastructure rule fires on the bad shape and stays quiet on its good twin (the operator's own configuration).</summary>
public sealed class InfrastructureRulesTests
{
    private const string Account = "123456789012";
    private const string Bucket = "okbs-team-a-shop-1a2b3c4d";
    private const string Key = "arn:aws:kms:eu-central-1:123456789012:key/1a2b3c4d-0000-4000-8000-000000000001";
    private const string Function = "arn:aws:lambda:eu-central-1:123456789012:function:team-a-shop-1a2b3c4d-api";
    private const string Distribution = "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456";

    /// <summary>What the operator deploys: least-privilege role, TLS-only KMS bucket with the OAC grant, no URL, TLS 1.2 CDN, guarded account.</summary>
    internal static InfrastructureSnapshot Compliant { get; } = new()
    {
        AccountId = Account,
        Region = "eu-central-1",
        Subject = "Project team-a/shop",
        Roles =
        [
            new RoleSnapshot
            {
                Arn = $"arn:aws:iam::{Account}:role/okbs-team-a-shop-1a2b3c4d-exec",
                Name = "okbs-team-a-shop-1a2b3c4d-exec",
                TrustPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
                Policies =
                [
                    new PolicySnapshot
                    {
                        Name = "openkbs-least-privilege",
                        Document = $$$$"""
                            {"Version":"2012-10-17","Statement":[
                              {"Sid":"CreateOwnLogGroups","Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"arn:aws:logs:eu-central-1:{{{{Account}}}}:log-group:/aws/lambda/team-a-shop-1a2b3c4d-*"},
                              {"Sid":"WriteOwnLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:eu-central-1:{{{{Account}}}}:log-group:/aws/lambda/team-a-shop-1a2b3c4d-*:*"},
                              {"Sid":"ReadOwnDataPrefix","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{Bucket}}}}/data/*"},
                              {"Sid":"ListOwnDataPrefix","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{{{{Bucket}}}}","Condition":{"StringLike":{"s3:prefix":"data/*"}}},
                              {"Sid":"DecryptWithProjectKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"{{{{Key}}}}"},
                              {"Sid":"Tracing","Effect":"Allow","Action":["xray:PutTraceSegments","xray:PutTelemetryRecords"],"Resource":"*"}]}
                            """,
                    },
                ],
            },
            new RoleSnapshot
            {
                Arn = $"arn:aws:iam::{Account}:role/okbs-team-a-shop-1a2b3c4d-sched",
                Name = "okbs-team-a-shop-1a2b3c4d-sched",
                TrustPolicy = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"{{{{Account}}}}"}}}]}""",
                Policies = [new PolicySnapshot { Name = "openkbs-invoke-functions", Document = $$$$"""{"Version":"2012-10-17","Statement":[{"Sid":"InvokeScheduledFunctions","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["{{{{Function}}}}"]}]}""" }],
            },
        ],
        Buckets =
        [
            new BucketSnapshot
            {
                Name = Bucket,
                PublicAccessBlock = new PublicAccessBlockSnapshot(true, true, true, true),
                Policy = $$$$"""
                    {"Version":"2012-10-17","Statement":[
                      {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{{{{Bucket}}}}","arn:aws:s3:::{{{{Bucket}}}}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
                      {"Sid":"AllowCloudFrontOriginAccessControl","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{Bucket}}}}/*","Condition":{"StringEquals":{"AWS:SourceArn":"{{{{Distribution}}}}"}}}]}
                    """,
                EncryptionAlgorithm = "aws:kms",
                EncryptionKeyId = Key,
            },
        ],
        Functions =
        [
            new FunctionSnapshot
            {
                Name = "team-a-shop-1a2b3c4d-api",
                Arn = Function,
                ResourcePolicy = $$$$"""
                    {"Version":"2012-10-17","Statement":[{"Sid":"scheduler","Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"{{{{Function}}}}","Condition":{"StringEquals":{"aws:SourceAccount":"{{{{Account}}}}"}}}]}
                    """,
            },
        ],
        Distributions =
        [
            new DistributionSnapshot
            {
                Id = "E2ABCDEF123456",
                Arn = Distribution,
                MinimumProtocolVersion = "TLSv1.2_2021",
                Behaviours =
                [
                    new CacheBehaviourSnapshot { PathPattern = CacheBehaviourSnapshot.Default, TargetOriginId = "s3-origin", ViewerProtocolPolicy = "redirect-to-https", AllowedMethods = ["GET", "HEAD"] },
                    new CacheBehaviourSnapshot { PathPattern = "/auth/*", TargetOriginId = "access-function", ViewerProtocolPolicy = "https-only", AllowedMethods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"] },
                ],
                Origins =
                [
                    new OriginSnapshot { Id = "s3-origin", DomainName = $"{Bucket}.s3.eu-central-1.amazonaws.com", S3 = true, OriginAccessControlId = "E1OACS3", OriginAccessIdentity = "" },
                    new OriginSnapshot { Id = "access-function", DomainName = "abc123.lambda-url.eu-central-1.on.aws", OriginAccessControlId = "E1OACFN", ProtocolPolicy = "https-only", SslProtocols = ["TLSv1.2"] },
                ],
            },
        ],
        Databases = [new DatabaseSnapshot { Identifier = "okbs-team-a-shop-1a2b3c4d", Arn = $"arn:aws:rds:eu-central-1:{Account}:cluster:okbs-team-a-shop-1a2b3c4d", StorageEncrypted = true, BackupRetentionDays = 7, DeletionProtection = true }],
        Keys = [new KeySnapshot { Arn = Key, RotationEnabled = true }],
        RegionGuard = new RegionGuardSnapshot
        {
            AllowedRegions = ["eu-central-1", "eu-west-1"],
            Policies =
            [
                new ServiceControlPolicySnapshot("p-FullAWSAccess", "FullAWSAccess", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""),
                new ServiceControlPolicySnapshot("p-guard0001", "openkbs-region-guard-eu-central-1_eu-west-1",
                    """{"Version":"2012-10-17","Statement":[{"Sid":"OpenKbsDenyOutsideAllowedRegions","Effect":"Deny","NotAction":["cloudfront:*","iam:*","sts:*","organizations:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1"]}}}]}"""),
            ],
        },
    };

    private static IReadOnlyList<Finding> Evaluate(InfrastructureSnapshot snapshot)
    {
        var problems = new List<string>();
        var findings = InfrastructureRules.Evaluate(snapshot, problems);
        Assert.Empty(problems);
        return findings;
    }

    private static InfrastructureSnapshot WithRolePolicy(string document) => Compliant with
    {
        Roles = [Compliant.Roles[0] with { Policies = [.. Compliant.Roles[0].Policies, new PolicySnapshot { Name = "extra", Document = document }] }],
    };

    private static InfrastructureSnapshot WithBucket(Func<BucketSnapshot, BucketSnapshot> change) => Compliant with { Buckets = [change(Compliant.Buckets[0])] };

    private static InfrastructureSnapshot WithFunction(Func<FunctionSnapshot, FunctionSnapshot> change) => Compliant with { Functions = [change(Compliant.Functions[0])] };

    private static InfrastructureSnapshot WithDistribution(Func<DistributionSnapshot, DistributionSnapshot> change) => Compliant with { Distributions = [change(Compliant.Distributions[0])] };

    private static InfrastructureSnapshot WithBehaviour(int index, Func<CacheBehaviourSnapshot, CacheBehaviourSnapshot> change) =>
        WithDistribution(d => d with { Behaviours = [.. d.Behaviours.Select((b, i) => i == index ? change(b) : b)] });

    private static InfrastructureSnapshot WithOrigin(int index, Func<OriginSnapshot, OriginSnapshot> change) =>
        WithDistribution(d => d with { Origins = [.. d.Origins.Select((o, i) => i == index ? change(o) : o)] });

    private static InfrastructureSnapshot WithTrust(int role, string statement) => Compliant with
    {
        Roles = [.. Compliant.Roles.Select((r, i) => i == role ? r with { TrustPolicy = $$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""" } : r)],
    };

    private static InfrastructureSnapshot WithDatabase(Func<DatabaseSnapshot, DatabaseSnapshot> change) => Compliant with { Databases = [change(Compliant.Databases[0])] };

    private static InfrastructureSnapshot WithGuard(Func<RegionGuardSnapshot, RegionGuardSnapshot> change) => Compliant with { RegionGuard = change(Compliant.RegionGuard!) };

    [Fact]
    public void The_operators_own_configuration_has_no_findings() => Assert.Empty(Evaluate(Compliant));

    public static TheoryData<string, string, Severity> Bad => new()
    {
        // IAM
        { "admin action *", "IAM-ADMIN-001", Severity.Critical },
        { "admin managed policy", "IAM-ADMIN-001", Severity.Critical },
        { "admin NotAction", "IAM-ADMIN-001", Severity.Critical },
        { "service wildcard", "IAM-WILD-002", Severity.High },
        { "resource *", "IAM-WILD-002", Severity.High },
        { "passrole *", "IAM-PRIVESC-003", Severity.High },
        { "iam wildcard *", "IAM-PRIVESC-003", Severity.High },
        { "iam:* on *", "IAM-ADMIN-001", Severity.Critical },
        { "assume any role", "IAM-PRIVESC-003", Severity.High },
        // IAM trust policies
        { "trust *", "IAM-TRUST-005", Severity.Critical },
        { "trust AWS *", "IAM-TRUST-005", Severity.Critical },
        { "trust sts:* to *", "IAM-TRUST-005", Severity.Critical },
        { "trust NotPrincipal", "IAM-TRUST-005", Severity.Critical },
        { "trust other account root", "IAM-TRUST-005", Severity.High },
        { "trust other account id", "IAM-TRUST-005", Severity.High },
        { "trust other account role, wrong condition", "IAM-TRUST-005", Severity.High },
        { "trust github oidc without sub", "IAM-TRUST-005", Severity.High },
        { "trust scheduler without source", "IAM-DEPUTY-009", Severity.High },
        { "trust events without source", "IAM-DEPUTY-009", Severity.High },
        // S3
        { "no public access block", "S3-BPA-001", Severity.High },
        { "one block flag off", "S3-BPA-001", Severity.High },
        { "public read", "S3-PUB-002", Severity.Critical },
        { "no tls policy", "S3-TLS-004", Severity.High },
        { "tls deny on true", "S3-TLS-004", Severity.High },
        { "AES256", "S3-ENC-003", Severity.Medium },
        { "no encryption", "S3-ENC-003", Severity.High },
        // Lambda
        { "url auth none", "LMB-URL-001", Severity.High },
        { "invoke by *", "LMB-POL-002", Severity.Critical },
        { "service without source", "LMB-POL-002", Severity.High },
        // CloudFront
        { "tls 1.0", "CF-TLS-001", Severity.High },
        { "default certificate", "CF-TLS-001", Severity.High },
        { "allow-all", "CF-HTTPS-002", Severity.High },
        { "allow-all on default", "CF-HTTPS-002", Severity.High },
        { "no viewer policy", "CF-HTTPS-002", Severity.High },
        { "writes to s3 on default", "CF-METHODS-010", Severity.Medium },
        { "writes to s3 on a path", "CF-METHODS-010", Severity.Medium },
        { "origin http-only", "CF-ORIGIN-003", Severity.Medium },
        { "origin match-viewer", "CF-ORIGIN-003", Severity.Medium },
        { "origin TLSv1", "CF-ORIGINTLS-007", Severity.Medium },
        { "origin SSLv3 and TLSv1.1", "CF-ORIGINTLS-007", Severity.Medium },
        { "s3 origin without oac", "CF-OAC-008", Severity.Medium },
        { "s3 origin with legacy oai", "CF-OAC-008", Severity.Medium },
        // RDS
        { "unencrypted", "RDS-ENC-002", Severity.High },
        { "public instance", "RDS-PUB-001", Severity.Critical },
        { "1 day backups", "RDS-BKP-004", Severity.Medium },
        { "no deletion protection", "RDS-DEL-005", Severity.Medium },
        // KMS, account
        { "rotation off", "KMS-ROT-001", Severity.Medium },
        { "no guard", "ACCT-REGION-001", Severity.High },
        { "guard of us region", "ACCT-REGION-001", Severity.High },
        { "allowed us region", "ACCT-REGION-001", Severity.High },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Each_rule_fires_on_its_bad_shape(string shape, string rule, Severity severity)
    {
        var findings = Evaluate(Shape(shape));

        var finding = findings.First(f => f.RuleId == rule);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal("infrastructure", finding.Analyzer);
        Assert.StartsWith("arn:aws:", finding.Resource, StringComparison.Ordinal);
        Assert.Null(finding.Location);
        Assert.False(string.IsNullOrWhiteSpace(finding.Remediation));
        Assert.False(string.IsNullOrWhiteSpace(finding.Evidence));
        Assert.Equal(64, finding.Fingerprint.Length);
        Assert.Equal(finding.Fingerprint, Evaluate(Shape(shape)).First(f => f.RuleId == rule).Fingerprint);
        Assert.All(findings, f => Assert.StartsWith(rule.Split('-')[0], f.RuleId, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_IAM_action_on_any_resource_is_one_administrator_equivalent_finding_and_AssumeRole_on_any_role_an_escalation()
    {
        var iamStar = Assert.Single(Evaluate(Shape("iam:* on *")));
        Assert.Equal("IAM-ADMIN-001", iamStar.RuleId);
        Assert.Equal("Allow logs:PutLogEvents,iam:* on *", iamStar.Evidence);
        Assert.Contains("every IAM action", iamStar.Message, StringComparison.Ordinal);

        var sparingIam = Evaluate(Shape("sparing iam")).Select(f => f.RuleId).Order(StringComparer.Ordinal);
        Assert.Equal(["IAM-WILD-002"], sparingIam);

        var assume = Evaluate(Shape("assume any role"));
        Assert.Equal(["IAM-PRIVESC-003", "IAM-WILD-002"], assume.Select(f => f.RuleId).Order(StringComparer.Ordinal));
        Assert.Contains("sts:AssumeRole", assume.Single(f => f.RuleId == "IAM-PRIVESC-003").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/exec"},"Action":"sts:AssumeRole"}]}""", true)]
    [InlineData("""{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","arn:aws:iam::123456789012:role/exec"]},"Action":"sts:AssumeRole"}}""", true)]
    [InlineData("""{"Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/exec"},"Action":"sts:AssumeRole"}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/exec"},"Action":"sts:AssumeRole"}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""", false)]
    [InlineData("not json", false)]
    [InlineData(null, false)]
    public void TrustAdmits_finds_an_allowed_AWS_principal_only(string? trust, bool admits) =>
        Assert.Equal(admits, InfrastructureRules.TrustAdmits(trust, p => p == "arn:aws:iam::123456789012:role/exec"));

    public static TheoryData<string> Good => new()
    {
        "scoped passrole", "star-only actions", "url auth iam", "invoke by * from one account", "tls 1.3", "https-only", "14 day backups", "aws managed key", "aws:kms:dsse",
        "trust same account", "trust other account with external id", "trust * within the organization", "trust github oidc with sub", "trust scheduler with source arn",
        "trust ecs tasks", "trust tag session only", "deny to *", "writes to a function origin", "options to s3", "origin TLSv1.2 only", "s3 origin access not returned",
        "assume one role",
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void The_good_twins_stay_quiet(string shape) => Assert.Empty(Evaluate(Shape(shape)));

    [Fact]
    public async Task An_unreadable_policy_or_a_gap_makes_the_check_incomplete_and_keeps_its_findings()
    {
        var snapshot = WithRolePolicy("{not json") with { Gaps = ["lambda GetPolicy of team-a-shop-1a2b3c4d-api: AccessDenied"], Keys = [new KeySnapshot { Arn = Key }] };
        var analyzer = new InfrastructureAnalyzer(snapshot);

        var ex = await Assert.ThrowsAsync<AnalyzerIncompleteException>(() => analyzer.AnalyzeAsync(null!, CancellationToken.None));

        Assert.Contains("AccessDenied", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the policy is not JSON", ex.Message, StringComparison.Ordinal);
        Assert.Equal("KMS-ROT-001", Assert.Single(ex.PartialFindings).RuleId);
    }

    [Fact]
    public void A_snapshot_round_trips_through_its_json_file_and_refuses_other_shapes()
    {
        var json = Compliant.ToJson();
        var back = InfrastructureSnapshot.Parse(json);

        Assert.Equal(json, back.ToJson());
        Assert.Equal(Compliant.Sha256(), back.Sha256());
        Assert.Throws<FormatException>(() => InfrastructureSnapshot.Parse("""{"schema":"other/v9","accountId":"1","region":"eu-west-1"}"""));
        Assert.Throws<FormatException>(() => InfrastructureSnapshot.Parse("""{"schema":"openkbs.infrastructure/v1","region":"eu-west-1"}"""));
        Assert.Throws<FormatException>(() => InfrastructureSnapshot.Parse("""{"schema":"openkbs.infrastructure/v1","accountId":"1","region":"eu-west-1","bukets":[]}"""));
        Assert.Throws<FormatException>(() => InfrastructureSnapshot.Parse("[1,"));
    }

    [Fact]
    public async Task The_engine_runs_the_check_only_on_a_snapshot_and_reports_it_in_sarif_and_markdown()
    {
        var engine = new AuditEngine(AuditEngine.DefaultAnalyzers(null));
        var artifact = new Dictionary<string, string> { ["index.mjs"] = "export const handler = async () => ({ statusCode: 200 });\n" };
        using var directory = new TempDirectory(artifact);
        Assert.Contains("infrastructure", engine.AvailableChecks);

        // No snapshot: left out of a default run, a usage error when named.
        var plain = await engine.RunAsync(new AuditRequest { ArtifactPath = directory.Path, Checks = ["code"] }, CancellationToken.None);
        Assert.DoesNotContain(plain.Checks, c => c.Name == "infrastructure");
        var all = await engine.RunAsync(new AuditRequest { ArtifactPath = directory.Path, Checks = null, Policy = new AuditPolicy { AllowIncomplete = true } }, CancellationToken.None);
        Assert.DoesNotContain(all.Checks, c => c.Name == "infrastructure");
        var named = await Assert.ThrowsAsync<ArgumentException>(() => engine.RunAsync(new AuditRequest { ArtifactPath = directory.Path, Checks = ["infrastructure"] }, CancellationToken.None));
        Assert.Contains("--infrastructure FILE", named.Message, StringComparison.Ordinal);

        var result = await engine.RunAsync(new AuditRequest { ArtifactPath = directory.Path, Checks = ["infrastructure"], Infrastructure = Shape("url auth none"), Policy = new AuditPolicy { FailOn = Severity.High } }, CancellationToken.None);

        var check = Assert.Single(result.Checks, c => c.Name == "infrastructure");
        Assert.Equal(CheckStatus.Completed, check.Status);
        Assert.Contains(Compliant.AccountId, check.Provenance, StringComparison.Ordinal);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains(result.Gate.Reasons, r => r.Contains("LMB-URL-001 at " + Function, StringComparison.Ordinal));
        var sarif = System.Text.Encoding.UTF8.GetString(SarifReport.Render(result).Content);
        Assert.Empty(Reports.SarifSchema.Errors(sarif));
        Assert.Contains("\"openkbs-audit-infrastructure\"", sarif, StringComparison.Ordinal);
        Assert.Contains("external/cwe/cwe-306", sarif, StringComparison.Ordinal);
        Assert.Contains(Function, sarif, StringComparison.Ordinal);
        var markdown = System.Text.Encoding.UTF8.GetString(MarkdownReport.Render(result).Content);
        Assert.Contains("LMB-URL-001", markdown, StringComparison.Ordinal);
        Assert.Contains("AuthType NONE", markdown, StringComparison.Ordinal);
    }

    internal static InfrastructureSnapshot Shape(string shape) => shape switch
    {
        "admin action *" => WithRolePolicy("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""),
        "admin managed policy" => Compliant with { Roles = [Compliant.Roles[0] with { Policies = [.. Compliant.Roles[0].Policies, new PolicySnapshot { Name = "AdministratorAccess", Arn = "arn:aws:iam::aws:policy/AdministratorAccess" }] }] },
        "admin NotAction" => WithRolePolicy("""{"Statement":{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"*"}}"""),
        "service wildcard" => WithRolePolicy($$$$"""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::{{{{Bucket}}}}/*"}]}"""),
        "resource *" => WithRolePolicy("""{"Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem"],"Resource":"*"}]}"""),
        "passrole *" => WithRolePolicy("""{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"""),
        "iam wildcard *" => WithRolePolicy("""{"Statement":[{"Effect":"Allow","Action":"iam:Put*","Resource":"*"}]}"""),
        "iam:* on *" => WithRolePolicy("""{"Statement":[{"Effect":"Allow","Action":["logs:PutLogEvents","iam:*"],"Resource":"*"}]}"""),
        "sparing iam" => WithRolePolicy("""{"Statement":[{"Effect":"Allow","NotAction":["iam:*","sts:*","organizations:*"],"Resource":"*"}]}"""),
        "assume any role" => WithRolePolicy("""{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"""),
        "assume one role" => WithRolePolicy($$$$"""{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::{{{{Account}}}}:role/reporting"}]}"""),
        "scoped passrole" => WithRolePolicy($$$$"""{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::{{{{Account}}}}:role/worker","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}]}"""),
        "star-only actions" => WithRolePolicy("""{"Statement":[{"Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DeleteNetworkInterface"],"Resource":"*"}]}"""),
        "no public access block" => WithBucket(b => b with { PublicAccessBlock = null }),
        "one block flag off" => WithBucket(b => b with { PublicAccessBlock = new PublicAccessBlockSnapshot(true, true, false, true) }),
        "public read" => WithBucket(b => b with { Policy = b.Policy!.Replace("]}", $$$$""",{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{Bucket}}}}/*"}]}""", StringComparison.Ordinal) }),
        "no tls policy" => WithBucket(b => b with { Policy = null }),
        "tls deny on true" => WithBucket(b => b with { Policy = b.Policy!.Replace("\"aws:SecureTransport\":\"false\"", "\"aws:SecureTransport\":\"true\"", StringComparison.Ordinal) }),
        "AES256" => WithBucket(b => b with { EncryptionAlgorithm = "AES256", EncryptionKeyId = null }),
        "aws:kms:dsse" => WithBucket(b => b with { EncryptionAlgorithm = "aws:kms:dsse" }),
        "no encryption" => WithBucket(b => b with { EncryptionAlgorithm = null, EncryptionKeyId = null }),
        "url auth none" => WithFunction(f => f with { UrlAuthType = "NONE" }),
        "url auth iam" => WithFunction(f => f with
        {
            UrlAuthType = "AWS_IAM",
            ResourcePolicy = $$$$"""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"{{{{Function}}}}","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"AWS_IAM"}}}]}""",
        }),
        "invoke by *" => WithFunction(f => f with { ResourcePolicy = $$$$"""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"{{{{Function}}}}"}]}""" }),
        "invoke by * from one account" => WithFunction(f => f with { ResourcePolicy = $$$$"""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"{{{{Function}}}}","Condition":{"StringEquals":{"aws:SourceAccount":"{{{{Account}}}}"}}}]}""" }),
        "service without source" => WithFunction(f => f with { ResourcePolicy = $$$$"""{"Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"{{{{Function}}}}"}]}""" }),
        "tls 1.0" => WithDistribution(d => d with { MinimumProtocolVersion = "TLSv1" }),
        "tls 1.3" => WithDistribution(d => d with { MinimumProtocolVersion = "TLSv1.3_2025" }),
        "default certificate" => WithDistribution(d => d with { DefaultCertificate = true, MinimumProtocolVersion = "TLSv1" }),
        "allow-all" => WithBehaviour(1, b => b with { ViewerProtocolPolicy = "allow-all" }),
        "allow-all on default" => WithBehaviour(0, b => b with { ViewerProtocolPolicy = "allow-all" }),
        "no viewer policy" => WithBehaviour(1, b => b with { ViewerProtocolPolicy = null }),
        "https-only" => WithBehaviour(0, b => b with { ViewerProtocolPolicy = "https-only" }),
        "writes to s3 on default" => WithBehaviour(0, b => b with { AllowedMethods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"] }),
        "writes to s3 on a path" => WithDistribution(d => d with { Behaviours = [.. d.Behaviours, new CacheBehaviourSnapshot { PathPattern = "/uploads/*", TargetOriginId = "s3-origin", ViewerProtocolPolicy = "https-only", AllowedMethods = ["GET", "HEAD", "PUT"] }] }),
        "writes to a function origin" => WithBehaviour(1, b => b with { AllowedMethods = ["GET", "HEAD", "POST", "DELETE"] }),
        "options to s3" => WithBehaviour(0, b => b with { AllowedMethods = ["GET", "HEAD", "OPTIONS"] }),
        "origin http-only" => WithOrigin(1, o => o with { ProtocolPolicy = "http-only" }),
        "origin match-viewer" => WithOrigin(1, o => o with { ProtocolPolicy = "match-viewer" }),
        "origin TLSv1" => WithOrigin(1, o => o with { SslProtocols = ["TLSv1", "TLSv1.2"] }),
        "origin SSLv3 and TLSv1.1" => WithOrigin(1, o => o with { SslProtocols = ["SSLv3", "TLSv1.1"] }),
        "origin TLSv1.2 only" => WithOrigin(1, o => o with { SslProtocols = ["TLSv1.2"] }),
        "s3 origin without oac" => WithOrigin(0, o => o with { OriginAccessControlId = null }),
        "s3 origin access not returned" => WithOrigin(0, o => o with { OriginAccessControlId = null, OriginAccessIdentity = null }),
        "s3 origin with legacy oai" => WithOrigin(0, o => o with { OriginAccessControlId = null, OriginAccessIdentity = "origin-access-identity/cloudfront/E2OAI" }),
        "trust *" => WithTrust(0, """{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"""),
        "trust AWS *" => WithTrust(0, """{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"shared"}}}"""),
        "trust sts:* to *" => WithTrust(1, """{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"sts:*"}"""),
        "trust NotPrincipal" => WithTrust(0, """{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}"""),
        "trust other account root" => WithTrust(0, """{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"sts:AssumeRole"}"""),
        "trust other account id" => WithTrust(0, """{"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":"sts:AssumeRole"}"""),
        "trust other account role, wrong condition" => WithTrust(0, """{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:role/deployer"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"""),
        "trust github oidc without sub" => WithTrust(0, """{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"}"""),
        "trust scheduler without source" => WithTrust(1, """{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}"""),
        "trust events without source" => WithTrust(1, """{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","events.amazonaws.com"]},"Action":"sts:AssumeRole"}"""),
        "trust same account" => WithTrust(0, """{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/deployer"},"Action":"sts:AssumeRole"}"""),
        "trust other account with external id" => WithTrust(0, """{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"c0ffee-4711"}}}"""),
        "trust * within the organization" => WithTrust(0, """{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123def4"}}}"""),
        "trust github oidc with sub" => WithTrust(0, """{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/shop:ref:refs/heads/main"}}}"""),
        "trust scheduler with source arn" => WithTrust(1, """{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:scheduler:eu-central-1:123456789012:schedule/okbs-*"}}}"""),
        "trust ecs tasks" => WithTrust(0, """{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}"""),
        "trust tag session only" => WithTrust(0, """{"Effect":"Allow","Principal":"*","Action":"sts:TagSession"}"""),
        "deny to *" => WithTrust(0, """{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"123456789012"}}}"""),
        "unencrypted" => WithDatabase(d => d with { StorageEncrypted = false }),
        "public instance" => WithDatabase(d => d with { PubliclyAccessibleInstances = ["okbs-team-a-shop-1a2b3c4d-w1"] }),
        "1 day backups" => WithDatabase(d => d with { BackupRetentionDays = 1 }),
        "14 day backups" => WithDatabase(d => d with { BackupRetentionDays = 14 }),
        "no deletion protection" => WithDatabase(d => d with { DeletionProtection = false }),
        "rotation off" => Compliant with { Keys = [new KeySnapshot { Arn = Key, RotationEnabled = false }] },
        "aws managed key" => Compliant with { Keys = [new KeySnapshot { Arn = Key, KeyManager = "AWS", RotationEnabled = false }] },
        "no guard" => WithGuard(g => g with { Policies = [g.Policies[0]] }),
        "guard of us region" => WithGuard(g => g with { Policies = [g.Policies[0], g.Policies[1] with { Content = g.Policies[1].Content!.Replace("\"eu-west-1\"]", "\"us-east-1\"]", StringComparison.Ordinal) }] }),
        "allowed us region" => WithGuard(g => g with { AllowedRegions = ["eu-central-1", "us-east-1"] }),
        _ => throw new ArgumentException(shape),
    };

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory(IReadOnlyDictionary<string, string> files)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "okbs-infra-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
            foreach (var (name, text) in files)
            {
                File.WriteAllText(System.IO.Path.Combine(Path, name), text);
            }
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
