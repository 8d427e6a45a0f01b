using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Infrastructure;

/// <summary>
/// The rules of the <c>infrastructure</c> check, pure functions of an <see cref="InfrastructureSnapshot"/>. Ids and
/// severities follow the catalog (shared reference audit-catalog.md, section 1d-1g) and are pinned here: IAM (admin or
/// administrator-equivalent (iam:*), wildcard, privilege escalation (PassRole, policy writing, sts:AssumeRole on any
/// resource), role trust policies: open, cross-account or federated without a condition, service principals without a
/// confused-deputy condition), S3 (public access block, public policy, TLS-only policy, default encryption), Lambda
/// (function URL without auth, resource policy open to anyone), CloudFront (viewer TLS floor, and for every cache behaviour:
/// HTTP allowed, write methods to an S3 origin, its origin's protocol, TLS versions and access control), Aurora (encryption,
/// public instances, backup retention, deletion protection), KMS rotation and the account's EU region guardrail.
/// </summary>
public static class InfrastructureRules
{
    /// <summary>The lowest backup retention (days) that passes RDS-BKP-004.</summary>
    public const int MinimumBackupRetentionDays = 7;

    /// <summary>CloudFront security policies that keep viewers on TLS 1.2 or newer with strong ciphers.</summary>
    public static readonly IReadOnlyList<string> AcceptedViewerTls = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

    /// <summary>Actions AWS authorizes only on <c>Resource: "*"</c>: a wildcard resource on them is not a finding.</summary>
    public static readonly IReadOnlyList<string> ResourceStarOnlyActions =
    [
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "cloudwatch:PutMetricData",
    ];

    /// <summary>
    /// Actions that let a principal give itself or another principal more rights (granted on any resource), or become another
    /// principal: <c>sts:AssumeRole</c> on <c>*</c> reaches every role whose trust admits the account or the role.
    /// </summary>
    public static readonly IReadOnlyList<string> EscalationActions =
    [
        "iam:PassRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
        "iam:UpdateAssumeRolePolicy", "iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile", "iam:AddUserToGroup", "iam:PutGroupPolicy", "iam:AttachGroupPolicy", "sts:AssumeRole",
    ];

    /// <summary>
    /// Service principals that assume a role only for a resource of the role's own account that a principal allowed to
    /// <c>iam:PassRole</c> it configured (a function's execution role, an instance profile, a task role): another account
    /// cannot make the service use the role, and these services do not send aws:SourceAccount/aws:SourceArn when they assume
    /// it, so a condition on them would only break the role. Every other service principal needs one (confused deputy).
    /// </summary>
    public static readonly IReadOnlyList<string> PassedRoleServices =
        ["lambda.amazonaws.com", "edgelambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com"];

    /// <summary>The actions by which a principal assumes a role (a trust statement granting none of them grants nothing to assume).</summary>
    public static readonly IReadOnlyList<string> AssumeActions = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"];

    /// <summary>Methods that change state: a behaviour to an S3 origin forwards them as writes and deletes of objects.</summary>
    public static readonly IReadOnlyList<string> WriteMethods = ["PUT", "POST", "PATCH", "DELETE"];

    /// <summary>Origin TLS versions that are broken or deprecated (CloudFront to a custom origin).</summary>
    public static readonly IReadOnlyList<string> WeakOriginProtocols = ["SSLv3", "TLSv1", "TLSv1.1"];

    /// <summary>AWS managed policies that are administrator-equivalent on their own.</summary>
    public static readonly IReadOnlyList<string> AdminManagedPolicies =
    [
        "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess",
    ];

    public static readonly InfrastructureRule IamAdmin = new(
        "IAM-ADMIN-001", Severity.Critical, 269, "Administrator-equivalent grant to a project role",
        "A role that may do everything (Action * on Resource *, or AdministratorAccess) turns any bug in the function's code into full control of the client's account: data, keys, users and the audit trail.",
        "Grant the role only the actions its code calls, on the project's own resources (the operator's least-privilege policy does so); detach AdministratorAccess and remove Action \"*\" statements.");

    public static readonly InfrastructureRule IamWildcard = new(
        "IAM-WILD-002", Severity.High, 732, "Wildcard action or resource in a project role's policy",
        "A service-wide action (s3:*) or Resource \"*\" grants far more than the function needs: every bucket, table or key of the account instead of the project's own, so one injection reaches all of them.",
        "Name the actions one by one and scope Resource to the project's ARNs (its bucket's data prefix, its key, its log groups).");

    public static readonly InfrastructureRule IamEscalation = new(
        "IAM-PRIVESC-003", Severity.High, 269, "Privilege escalation: iam:PassRole, policy-writing actions or sts:AssumeRole on any resource",
        "iam:PassRole on * lets the role hand any role of the account (an administrator's included) to a new function or service; the policy-writing actions let it grant itself anything; sts:AssumeRole on * lets it become every role whose trust policy admits the account. Either way the role's real power is the account's.",
        "Remove these IAM actions from workload roles; where PassRole is needed, limit Resource to the one role ARN and add an iam:PassedToService condition; where a role must be assumed, name its ARN.");

    public static readonly InfrastructureRule IamTrust = new(
        "IAM-TRUST-005", Severity.High, 284, "Role trust policy lets anyone, another account or any federated user assume the role",
        "Whoever the trust policy admits gets the role's permissions: Principal \"*\" is every AWS account in the world, another account's principal without sts:ExternalId can be steered by anyone that account serves, and a federated provider without an audience or subject condition admits every identity the provider issues.",
        "Name the one principal that needs the role; for another account require sts:ExternalId (or aws:PrincipalOrgID/aws:PrincipalArn); for a web identity or SAML provider require its :aud and :sub claims; never grant sts:AssumeRole to \"*\".");

    public static readonly InfrastructureRule IamConfusedDeputy = new(
        "IAM-DEPUTY-009", Severity.High, 441, "Role trusts an AWS service without aws:SourceAccount or aws:SourceArn",
        "A service principal without a source condition lets the service assume the role for a resource of any account: another customer can point their own schedule, rule or bucket at this role and act with its permissions (cross-service confused deputy).",
        "Add a condition aws:SourceAccount equal to the project's account (or aws:SourceArn of the one resource) to the trust statement; the operator's scheduler role has it.");

    public static readonly InfrastructureRule BucketPublicAccessBlock = new(
        "S3-BPA-001", Severity.High, 284, "Bucket public access block not fully on",
        "Without all four public access block settings a single ACL or policy edit makes client data readable by anyone on the internet.",
        "Turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets on the bucket (the operator's storage step sets them).");

    public static readonly InfrastructureRule BucketPublicPolicy = new(
        "S3-PUB-002", Severity.Critical, 284, "Bucket policy grants access to anyone",
        "An Allow to Principal \"*\" without a restricting condition makes the bucket's objects readable (or writable) by anyone on the internet.",
        "Remove the statement; serve public content through the project's CloudFront distribution with origin access control instead.");

    public static readonly InfrastructureRule BucketTlsOnly = new(
        "S3-TLS-004", Severity.High, 319, "Bucket policy does not refuse plain-HTTP requests",
        "Without a Deny on aws:SecureTransport = false, clients may read and write the bucket over unencrypted HTTP, exposing data and credentials in transit.",
        "Add a Deny statement for s3:* on the bucket and its objects with the condition Bool aws:SecureTransport = false (the operator's bucket policy has it).");

    public static readonly InfrastructureRule BucketEncryption = new(
        "S3-ENC-003", Severity.Medium, 311, "Bucket default encryption is not SSE-KMS",
        "Objects not encrypted with the project's KMS key cannot be governed by its key policy and audit trail, and do not go dark when the key is disabled.",
        "Set the bucket's default encryption to aws:kms with the project key (and a bucket key).");

    public static readonly InfrastructureRule FunctionUrlNoAuth = new(
        "LMB-URL-001", Severity.High, 306, "Lambda function URL without authentication",
        "A function URL with AuthType NONE can be invoked by anyone on the internet who learns it; every request reaches the code with no identity checked in front of it.",
        "Set the URL's AuthType to AWS_IAM (and sign requests), put the function behind CloudFront or API Gateway with authorization, or delete the URL.");

    public static readonly InfrastructureRule FunctionPublicPolicy = new(
        "LMB-POL-002", Severity.Critical, 284, "Lambda resource policy open to any principal",
        "A resource policy that allows Principal \"*\" (or a service principal without aws:SourceArn/aws:SourceAccount) lets any AWS account or any resource of that service invoke the function.",
        "Remove the statement, or name the one principal and add aws:SourceArn and aws:SourceAccount conditions.");

    public static readonly InfrastructureRule DistributionTls = new(
        "CF-TLS-001", Severity.High, 326, "CloudFront allows viewers older TLS than 1.2",
        "Viewers may negotiate TLS 1.0/1.1 or weak ciphers, which are broken or deprecated: traffic between users and the edge can be downgraded and read.",
        "Use a custom ACM certificate with the security policy TLSv1.2_2021 or newer (SNI).");

    public static readonly InfrastructureRule DistributionHttp = new(
        "CF-HTTPS-002", Severity.High, 319, "CloudFront serves viewers over plain HTTP",
        "A cache behaviour with ViewerProtocolPolicy allow-all serves content and cookies over unencrypted HTTP, open to reading and tampering on the way.",
        "Set every cache behaviour's ViewerProtocolPolicy to redirect-to-https or https-only.");

    public static readonly InfrastructureRule DistributionOriginProtocol = new(
        "CF-ORIGIN-003", Severity.Medium, 319, "CloudFront reaches an origin over plain HTTP",
        "An origin protocol policy of http-only or match-viewer sends requests, responses, cookies and tokens between the edge and the origin unencrypted, open to reading and tampering on the way.",
        "Set the custom origin's OriginProtocolPolicy to https-only.");

    public static readonly InfrastructureRule DistributionOriginTls = new(
        "CF-ORIGINTLS-007", Severity.Medium, 327, "CloudFront may use SSLv3, TLS 1.0 or TLS 1.1 to an origin",
        "Broken or deprecated protocol versions on the edge-to-origin leg let a network attacker downgrade and read the traffic behind the CDN.",
        "Set the custom origin's OriginSslProtocols to TLSv1.2 only.");

    public static readonly InfrastructureRule DistributionOriginAccess = new(
        "CF-OAC-008", Severity.Medium, 284, "S3 origin without origin access control",
        "Without origin access control CloudFront's requests to the bucket are unsigned (or use the legacy origin access identity): the bucket must then be readable without CloudFront, and it cannot be limited to this distribution with aws:SourceArn.",
        "Give the S3 origin an origin access control (SigV4, always sign) and grant only cloudfront.amazonaws.com with aws:SourceArn of the distribution in the bucket policy.");

    public static readonly InfrastructureRule DistributionWriteMethods = new(
        "CF-METHODS-010", Severity.Medium, 650, "CloudFront forwards write methods to an S3 origin",
        "A cache behaviour that allows PUT, POST, PATCH or DELETE to an S3 origin forwards them signed with the distribution's identity: any grant beyond s3:GetObject to CloudFront in the bucket policy then lets every viewer write or delete the project's objects.",
        "Allow only GET and HEAD (and OPTIONS for CORS) on behaviours whose origin is an S3 bucket; send writes to a function or API origin.");

    public static readonly InfrastructureRule DatabaseEncryption = new(
        "RDS-ENC-002", Severity.High, 311, "Database storage not encrypted",
        "An unencrypted cluster's storage, snapshots and replicas hold client data in clear text for anyone who gets a copy of a snapshot or volume.",
        "Encryption cannot be turned on in place: restore a snapshot into a new cluster with StorageEncrypted and the project key, then switch over.");

    public static readonly InfrastructureRule DatabasePublic = new(
        "RDS-PUB-001", Severity.Critical, 284, "Database instance publicly accessible",
        "A publicly accessible instance gets a public address: the database port is one security-group rule away from the whole internet.",
        "Modify the instance with PubliclyAccessible false; reach the database from the functions inside the VPC or through the Data API.");

    public static readonly InfrastructureRule DatabaseBackups = new(
        "RDS-BKP-004", Severity.Medium, null, "Database backup retention too short",
        $"Fewer than {MinimumBackupRetentionDays} days of automated backups leave too short a window to notice and undo data loss or tampering (NIS2 Art. 21(2)(c), backup management).",
        $"Set the cluster's BackupRetentionPeriod to at least {MinimumBackupRetentionDays} days (Project spec.database.backupRetentionDays).");

    public static readonly InfrastructureRule DatabaseDeletionProtection = new(
        "RDS-DEL-005", Severity.Medium, null, "Database deletion protection off",
        "Without deletion protection one API call (a mistake, a script, a stolen credential) deletes the cluster and its automated backups.",
        "Turn deletion protection on (Project spec.database.deletionProtection: true); turn it off only for a planned deletion.");

    public static readonly InfrastructureRule KeyRotation = new(
        "KMS-ROT-001", Severity.Medium, null, "KMS key rotation off",
        "A customer-managed key that never rotates keeps protecting all data with the same key material for ever, widening what one exposure of it reveals.",
        "Enable automatic key rotation on the key (the operator's storage step does so for the project key).");

    public static readonly InfrastructureRule RegionGuard = new(
        "ACCT-REGION-001", Severity.High, null, "Account not held to its EU regions",
        "Without a service control policy that denies every request outside the allowed EU regions, data and workloads can be created outside the EU, breaking the client's data residency.",
        "Let the ClientAccount controller attach its region guard (openkbs-region-guard-*) to the account and keep spec.allowedRegions to EU regions.");

    /// <summary>Every rule, in catalog order.</summary>
    public static IReadOnlyList<InfrastructureRule> All { get; } =
    [
        IamAdmin, IamWildcard, IamEscalation, IamTrust, IamConfusedDeputy, BucketPublicAccessBlock, BucketPublicPolicy, BucketTlsOnly, BucketEncryption,
        FunctionUrlNoAuth, FunctionPublicPolicy, DistributionTls, DistributionHttp, DistributionOriginProtocol, DistributionOriginTls,
        DistributionOriginAccess, DistributionWriteMethods, DatabaseEncryption, DatabasePublic, DatabaseBackups, DatabaseDeletionProtection, KeyRotation, RegionGuard,
    ];

    /// <summary>Every finding of <paramref name="snapshot"/>; unreadable policy documents are returned in <paramref name="problems"/>.</summary>
    public static IReadOnlyList<Finding> Evaluate(InfrastructureSnapshot snapshot, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(problems);
        var findings = new List<Finding>();
        foreach (var role in snapshot.Roles)
        {
            findings.AddRange(Role(role, problems));
            findings.AddRange(Trust(snapshot.AccountId, role, problems));
        }

        foreach (var bucket in snapshot.Buckets)
        {
            findings.AddRange(Bucket(bucket, problems));
        }

        foreach (var function in snapshot.Functions)
        {
            findings.AddRange(Function(function, problems));
        }

        foreach (var distribution in snapshot.Distributions)
        {
            findings.AddRange(Distribution(distribution));
        }

        foreach (var database in snapshot.Databases)
        {
            findings.AddRange(Database(database));
        }

        foreach (var key in snapshot.Keys.Where(k => string.Equals(k.KeyManager, "CUSTOMER", StringComparison.OrdinalIgnoreCase) && !k.RotationEnabled))
        {
            findings.Add(KeyRotation.Finding(key.Arn, $"Automatic rotation of KMS key {key.Arn} is off.", "GetKeyRotationStatus: KeyRotationEnabled false"));
        }

        if (snapshot.RegionGuard is { } guard)
        {
            findings.AddRange(Region(snapshot.AccountId, guard, problems));
        }

        return findings;
    }

    /// <summary>
    /// True when an Allow statement of <paramref name="trustPolicy"/> names an AWS principal (an ARN or account id as written,
    /// not <c>*</c>) that <paramref name="matches"/>; an empty or unreadable document admits nothing here (the rules report an
    /// unreadable one when the role is judged). The collector uses it to find the roles that trust the project's execution role.
    /// </summary>
    public static bool TrustAdmits(string? trustPolicy, Func<string, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        if (string.IsNullOrWhiteSpace(trustPolicy))
        {
            return false;
        }

        IReadOnlyList<PolicyStatement> statements;
        try
        {
            statements = PolicyStatements.Parse(trustPolicy);
        }
        catch (FormatException)
        {
            return false;
        }

        return statements.Any(s => s.Allow && !s.NotPrincipal && s.Principals.Any(p => p.StartsWith("AWS:", StringComparison.Ordinal) && matches(p["AWS:".Length..])));
    }

    internal static IEnumerable<Finding> Role(RoleSnapshot role, ICollection<string> problems)
    {
        foreach (var policy in role.Policies)
        {
            var label = policy.Arn is null ? $"inline policy {policy.Name}" : $"managed policy {policy.Name}";
            if (policy.Arn is { } arn && AdminManagedPolicies.Contains(arn, StringComparer.Ordinal))
            {
                yield return IamAdmin.Finding(role.Arn, $"Role {role.Name} has the AWS managed policy {policy.Name} attached.", $"attached {arn}", arn);
                continue;
            }

            if (policy.Document is null)
            {
                continue;
            }

            IReadOnlyList<PolicyStatement> statements;
            try
            {
                statements = PolicyStatements.Parse(policy.Document);
            }
            catch (FormatException ex)
            {
                problems.Add($"{role.Arn} {label}: {ex.Message}");
                continue;
            }

            foreach (var s in statements.Where(s => s.Allow))
            {
                var detail = $"{policy.Name}\n{s.Describe()}";
                if (s.Grants("*:*") && s.Grants("iam:CreateRole") && s.AnyResource)
                {
                    yield return IamAdmin.Finding(role.Arn, $"Role {role.Name}'s {label} allows every action on every resource.", s.Describe(), detail);
                    continue;
                }

                // Every IAM action (iam:*, or NotAction sparing no IAM action) on any resource is IAMFullAccess: the role can attach
                // AdministratorAccess to itself, so it is administrator-equivalent.
                if (s.AnyResource && GrantsAllOf(s, "iam"))
                {
                    yield return IamAdmin.Finding(role.Arn, $"Role {role.Name}'s {label} allows every IAM action on every resource (it can grant itself anything).", s.Describe(), detail);
                    continue;
                }

                var escalation = EscalationActions.Where(s.Grants).ToList();
                if (escalation.Count > 0 && s.AnyResource)
                {
                    yield return IamEscalation.Finding(role.Arn, $"Role {role.Name}'s {label} allows {string.Join(", ", escalation)} on any resource.", s.Describe(), detail);
                }

                var wildcardActions = s.NotAction
                    ? ["NotAction " + string.Join(",", s.Actions)]
                    : s.Actions.Where(a => a.Contains('*', StringComparison.Ordinal) || a.Contains('?', StringComparison.Ordinal)).ToList();
                var starResource = s.AnyResource && !s.Actions.All(a => !s.NotAction && ResourceStarOnlyActions.Contains(a, StringComparer.OrdinalIgnoreCase));
                if (wildcardActions.Count > 0 || starResource)
                {
                    var what = string.Join(" and ", new[]
                    {
                        wildcardActions.Count > 0 ? $"wildcard action(s) {string.Join(", ", wildcardActions)}" : null,
                        starResource ? "any resource (\"*\")" : null,
                    }.OfType<string>());
                    yield return IamWildcard.Finding(role.Arn, $"Role {role.Name}'s {label} grants {what}.", s.Describe(), detail);
                }
            }
        }
    }

    internal static IEnumerable<Finding> Bucket(BucketSnapshot bucket, ICollection<string> problems)
    {
        var block = bucket.PublicAccessBlock;
        if (block is not { AllOn: true })
        {
            var off = block is null
                ? "no public access block"
                : string.Join(", ", new[] { ("BlockPublicAcls", block.BlockPublicAcls), ("IgnorePublicAcls", block.IgnorePublicAcls), ("BlockPublicPolicy", block.BlockPublicPolicy), ("RestrictPublicBuckets", block.RestrictPublicBuckets) }
                    .Where(f => !f.Item2).Select(f => f.Item1 + " false"));
            yield return BucketPublicAccessBlock.Finding(bucket.Arn, $"Bucket {bucket.Name}: {off}.", off);
        }

        IReadOnlyList<PolicyStatement> statements = [];
        if (bucket.Policy is { } policy)
        {
            try
            {
                statements = PolicyStatements.Parse(policy);
            }
            catch (FormatException ex)
            {
                problems.Add($"{bucket.Arn} bucket policy: {ex.Message}");
            }
        }

        foreach (var s in statements.Where(s => s.Allow && s.Principals.Contains("*") && !Restricted(s)))
        {
            yield return BucketPublicPolicy.Finding(bucket.Arn, $"Bucket {bucket.Name}'s policy allows {string.Join(", ", s.Actions)} to anyone.", s.Describe(), s.Describe());
        }

        if (!statements.Any(DeniesPlainHttp))
        {
            yield return BucketTlsOnly.Finding(bucket.Arn, $"Bucket {bucket.Name}'s policy has no Deny on aws:SecureTransport = false.",
                bucket.Policy is null ? "no bucket policy" : "no statement Deny s3:* with Bool aws:SecureTransport false");
        }

        if (bucket.EncryptionAlgorithm is null)
        {
            yield return BucketEncryption.Finding(bucket.Arn, $"Bucket {bucket.Name} has no default encryption configured.", "no default encryption", severity: Severity.High);
        }
        else if (!bucket.EncryptionAlgorithm.StartsWith("aws:kms", StringComparison.Ordinal))
        {
            yield return BucketEncryption.Finding(bucket.Arn, $"Bucket {bucket.Name} encrypts by default with {bucket.EncryptionAlgorithm}, not the project's KMS key.", $"SSEAlgorithm {bucket.EncryptionAlgorithm}");
        }
    }

    internal static IEnumerable<Finding> Function(FunctionSnapshot function, ICollection<string> problems)
    {
        if (string.Equals(function.UrlAuthType, "NONE", StringComparison.OrdinalIgnoreCase))
        {
            yield return FunctionUrlNoAuth.Finding(function.Arn, $"Function {function.Name} has a function URL with AuthType NONE.", "FunctionUrlConfig AuthType NONE");
        }

        if (function.ResourcePolicy is not { } policy)
        {
            yield break;
        }

        IReadOnlyList<PolicyStatement> statements;
        try
        {
            statements = PolicyStatements.Parse(policy);
        }
        catch (FormatException ex)
        {
            problems.Add($"{function.Arn} resource policy: {ex.Message}");
            yield break;
        }

        foreach (var s in statements.Where(s => s.Allow))
        {
            var anyone = s.Principals.Contains("*");
            var service = s.Principals.FirstOrDefault(p => p.StartsWith("Service:", StringComparison.Ordinal));
            if (anyone && !Restricted(s) && !UrlWithIam(s))
            {
                yield return FunctionPublicPolicy.Finding(function.Arn, $"Function {function.Name}'s resource policy allows {string.Join(", ", s.Actions)} to any principal.", s.Describe(), s.Describe());
            }
            else if (service is not null && !s.HasConditionKey("aws:SourceArn", "aws:SourceAccount"))
            {
                yield return FunctionPublicPolicy.Finding(function.Arn,
                    $"Function {function.Name}'s resource policy allows {service["Service:".Length..]} to invoke it without aws:SourceArn or aws:SourceAccount (any resource of that service, in any account).",
                    s.Describe(), s.Describe(), Severity.High);
            }
        }
    }

    internal static IEnumerable<Finding> Distribution(DistributionSnapshot distribution)
    {
        if (distribution.DefaultCertificate)
        {
            yield return DistributionTls.Finding(distribution.Arn, $"Distribution {distribution.Id} uses the default CloudFront certificate, which accepts TLS 1.0 viewers whatever the minimum protocol says.", "CloudFrontDefaultCertificate true");
        }
        else if (distribution.MinimumProtocolVersion is not { } version || !AcceptedViewerTls.Contains(version, StringComparer.Ordinal))
        {
            yield return DistributionTls.Finding(distribution.Arn, $"Distribution {distribution.Id} allows viewers the security policy {distribution.MinimumProtocolVersion ?? "(none)"}.", $"MinimumProtocolVersion {distribution.MinimumProtocolVersion ?? "(none)"}");
        }

        var origins = distribution.Origins.GroupBy(o => o.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var behaviour in distribution.Behaviours)
        {
            var where = $"{behaviour.PathPattern}: {behaviour.ViewerProtocolPolicy ?? "(none)"}";
            if (!string.Equals(behaviour.ViewerProtocolPolicy, "redirect-to-https", StringComparison.Ordinal) && !string.Equals(behaviour.ViewerProtocolPolicy, "https-only", StringComparison.Ordinal))
            {
                yield return DistributionHttp.Finding(distribution.Arn, $"Distribution {distribution.Id} serves viewers over HTTP on the cache behaviour {where}.", $"ViewerProtocolPolicy {where}", where);
            }

            var origin = behaviour.TargetOriginId is { } target ? origins.GetValueOrDefault(target) : null;
            var writes = behaviour.AllowedMethods.Where(m => WriteMethods.Contains(m, StringComparer.OrdinalIgnoreCase)).ToList();
            if (origin is { S3: true } && writes.Count > 0)
            {
                yield return DistributionWriteMethods.Finding(distribution.Arn,
                    $"Distribution {distribution.Id} forwards {string.Join(", ", writes)} on the cache behaviour {behaviour.PathPattern} to the S3 origin {origin.Id}.",
                    $"{behaviour.PathPattern}: AllowedMethods {string.Join(",", behaviour.AllowedMethods)} to S3 origin {origin.Id}", $"{behaviour.PathPattern}\n{origin.Id}");
            }
        }

        foreach (var origin in distribution.Origins)
        {
            var used = distribution.Behaviours.Where(b => string.Equals(b.TargetOriginId, origin.Id, StringComparison.Ordinal)).Select(b => b.PathPattern).ToList();
            var by = used.Count == 0 ? "no cache behaviour" : $"cache behaviour(s) {string.Join(", ", used)}";
            if (origin.S3)
            {
                if (origin.OriginAccessControlId is not { Length: > 0 } && origin.OriginAccessIdentity is not null)
                {
                    var how = origin.OriginAccessIdentity is { Length: > 0 } oai ? $"the legacy origin access identity {oai}" : "no origin access control or identity";
                    yield return DistributionOriginAccess.Finding(distribution.Arn, $"Distribution {distribution.Id} reads the S3 origin {origin.Id} ({by}) with {how}.", $"origin {origin.Id}: {how}", origin.Id);
                }

                continue;
            }

            if (origin.ProtocolPolicy is null)
            {
                continue; // neither S3 nor custom (a VPC origin): private by construction, nothing to judge here
            }

            if (!string.Equals(origin.ProtocolPolicy, "https-only", StringComparison.Ordinal))
            {
                yield return DistributionOriginProtocol.Finding(distribution.Arn,
                    $"Distribution {distribution.Id} reaches the origin {origin.Id} ({origin.DomainName}, {by}) with the protocol policy {origin.ProtocolPolicy ?? "(none)"}.",
                    $"origin {origin.Id}: OriginProtocolPolicy {origin.ProtocolPolicy ?? "(none)"}", origin.Id);
            }

            var weak = origin.SslProtocols.Where(p => WeakOriginProtocols.Contains(p, StringComparer.Ordinal)).ToList();
            if (weak.Count > 0)
            {
                yield return DistributionOriginTls.Finding(distribution.Arn,
                    $"Distribution {distribution.Id} may use {string.Join(", ", weak)} to the origin {origin.Id} ({by}).",
                    $"origin {origin.Id}: OriginSslProtocols {string.Join(",", origin.SslProtocols)}", origin.Id);
            }
        }
    }

    /// <summary>
    /// The role's trust policy: an Allow of an assume action (<see cref="AssumeActions"/>) to <c>*</c> (critical: anyone) or
    /// with NotPrincipal, to a principal of another account without sts:ExternalId (or aws:PrincipalOrgID/aws:PrincipalArn), to
    /// a federated provider without a claim condition, or to a service principal (other than <see cref="PassedRoleServices"/>)
    /// without aws:SourceAccount/aws:SourceArn/aws:SourceOrgID.
    /// </summary>
    internal static IEnumerable<Finding> Trust(string accountId, RoleSnapshot role, ICollection<string> problems)
    {
        if (role.TrustPolicy is not { } document)
        {
            yield break;
        }

        IReadOnlyList<PolicyStatement> statements;
        try
        {
            statements = PolicyStatements.Parse(document);
        }
        catch (FormatException ex)
        {
            problems.Add($"{role.Arn} trust policy: {ex.Message}");
            yield break;
        }

        foreach (var s in statements.Where(s => s.Allow && AssumeActions.Any(s.Grants)))
        {
            var assume = string.Join(",", s.Actions);
            var evidence = s.Describe();
            if (s.NotPrincipal || s.Principals.Contains("*") || s.Principals.Contains("AWS:*"))
            {
                if (!s.HasConditionKey("aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"))
                {
                    yield return IamTrust.Finding(role.Arn,
                        $"Role {role.Name}'s trust policy allows {assume} to {(s.NotPrincipal ? "every principal but " + string.Join(",", s.Principals) : "any principal (\"*\")")} with no condition on the caller's account or organization: anyone with an AWS account can assume it.",
                        evidence, "*\n" + evidence, Severity.Critical);
                }

                continue;
            }

            foreach (var principal in s.Principals)
            {
                var (kind, value) = principal.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (principal[..colon], principal[(colon + 1)..]) : ("AWS", principal);
                if (kind == "AWS" && Account(value) is { } other && other != accountId
                    && !s.HasConditionKey("sts:ExternalId", "aws:PrincipalOrgID", "aws:PrincipalArn"))
                {
                    yield return IamTrust.Finding(role.Arn,
                        $"Role {role.Name}'s trust policy allows {assume} to {value} of account {other} without sts:ExternalId (or aws:PrincipalOrgID/aws:PrincipalArn).",
                        evidence, value + "\n" + evidence);
                }
                else if (kind == "Federated" && !s.ConditionKeys.Any(k => k.EndsWith(":aud", StringComparison.OrdinalIgnoreCase) || k.EndsWith(":sub", StringComparison.OrdinalIgnoreCase)))
                {
                    yield return IamTrust.Finding(role.Arn,
                        $"Role {role.Name}'s trust policy allows {assume} to every identity of the federated provider {value} (no :aud or :sub condition).",
                        evidence, value + "\n" + evidence);
                }
                else if (kind == "Service" && !PassedRoleServices.Contains(value, StringComparer.OrdinalIgnoreCase)
                    && !s.HasConditionKey("aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"))
                {
                    yield return IamConfusedDeputy.Finding(role.Arn,
                        $"Role {role.Name}'s trust policy allows {assume} to {value} without aws:SourceAccount or aws:SourceArn: the service may assume it for a resource of any account.",
                        evidence, value + "\n" + evidence);
                }
            }
        }
    }

    /// <summary>The account of an AWS principal: a 12-digit account id, or the account of an IAM/STS ARN; null otherwise.</summary>
    private static string? Account(string principal)
    {
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit))
        {
            return principal;
        }

        var parts = principal.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && parts[2] is "iam" or "sts" && parts[4].Length == 12 ? parts[4] : null;
    }

    internal static IEnumerable<Finding> Database(DatabaseSnapshot database)
    {
        if (!database.StorageEncrypted)
        {
            yield return DatabaseEncryption.Finding(database.Arn, $"Cluster {database.Identifier} is not encrypted at rest.", "StorageEncrypted false");
        }

        foreach (var instance in database.PubliclyAccessibleInstances)
        {
            yield return DatabasePublic.Finding(database.Arn, $"Instance {instance} of cluster {database.Identifier} is publicly accessible.", $"{instance}: PubliclyAccessible true", instance);
        }

        if (database.BackupRetentionDays < MinimumBackupRetentionDays)
        {
            yield return DatabaseBackups.Finding(database.Arn, $"Cluster {database.Identifier} keeps automated backups {database.BackupRetentionDays} day(s), under {MinimumBackupRetentionDays}.", $"BackupRetentionPeriod {database.BackupRetentionDays}");
        }

        if (!database.DeletionProtection)
        {
            yield return DatabaseDeletionProtection.Finding(database.Arn, $"Cluster {database.Identifier} has deletion protection off.", "DeletionProtection false");
        }
    }

    internal static IEnumerable<Finding> Region(string accountId, RegionGuardSnapshot guard, ICollection<string> problems)
    {
        var resource = $"arn:aws:organizations::account/{accountId}";
        var outside = guard.AllowedRegions.Where(r => !r.StartsWith("eu-", StringComparison.Ordinal)).ToList();
        if (outside.Count > 0)
        {
            yield return RegionGuard.Finding(resource, $"Account {accountId} is allowed regions outside the EU: {string.Join(", ", outside)}.", $"allowedRegions {string.Join(", ", guard.AllowedRegions)}", "allowed:" + string.Join(",", outside));
        }

        var guarding = new List<string>();
        foreach (var policy in guard.Policies.Where(p => p.Content is not null))
        {
            IReadOnlyList<PolicyStatement> statements;
            try
            {
                statements = PolicyStatements.Parse(policy.Content!);
            }
            catch (FormatException ex)
            {
                problems.Add($"service control policy {policy.Name} ({policy.Id}): {ex.Message}");
                continue;
            }

            if (statements.Any(s => GuardsRegions(s, guard.AllowedRegions)))
            {
                guarding.Add(policy.Name);
            }
        }

        if (guarding.Count == 0)
        {
            var attached = guard.Policies.Count == 0 ? "no service control policy attached" : $"attached: {string.Join(", ", guard.Policies.Select(p => p.Name))}";
            yield return RegionGuard.Finding(resource,
                $"No service control policy attached to account {accountId} denies requests outside {string.Join(", ", guard.AllowedRegions)}.", attached, "missing");
        }
    }

    /// <summary>A Deny of (Not)Action on * unless aws:RequestedRegion is one of regions that are all allowed (and EU).</summary>
    private static bool GuardsRegions(PolicyStatement s, IReadOnlyList<string> allowed)
    {
        if (s.Allow || !s.AnyResource || s.Condition is null)
        {
            return false;
        }

        // The deny must cover regional services: NotAction lists only global ones, or Action is "*".
        var coversRegional = s.Grants("lambda:InvokeFunction") && s.Grants("s3:PutObject");
        if (!coversRegional)
        {
            return false;
        }

        foreach (var (op, block) in s.Condition)
        {
            if (!op.StartsWith("StringNotEquals", StringComparison.OrdinalIgnoreCase) && !op.StartsWith("StringNotLike", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (block is System.Text.Json.Nodes.JsonObject keys && keys.FirstOrDefault(k => string.Equals(k.Key, "aws:RequestedRegion", StringComparison.OrdinalIgnoreCase)).Value is { } value)
            {
                var regions = value is System.Text.Json.Nodes.JsonArray array ? array.Select(x => x?.ToString() ?? string.Empty).ToList() : [value.ToString()];
                return regions.Count > 0 && regions.All(r => r.StartsWith("eu-", StringComparison.Ordinal) && (allowed.Count == 0 || allowed.Contains(r, StringComparer.Ordinal)));
            }
        }

        return false;
    }

    /// <summary>
    /// True when the statement grants every action of <paramref name="service"/>: an action pattern covering <c>service:*</c>
    /// (<c>iam:*</c>, <c>*</c>, <c>i*</c>), or NotAction with no pattern that could name an action of the service.
    /// </summary>
    private static bool GrantsAllOf(PolicyStatement s, string service) =>
        s.NotAction
            ? !s.Actions.Any(a => Wildcard.Matches(a.Split(':')[0], service) || !a.Contains(':', StringComparison.Ordinal))
            : s.Actions.Any(a => Wildcard.Matches(a, service + ":*"));

    /// <summary>A Deny of every S3 action (s3:* or *) when aws:SecureTransport is false.</summary>
    private static bool DeniesPlainHttp(PolicyStatement s) =>
        !s.Allow
        && s.Principals.Contains("*")
        && s.Grants("s3:GetObject") && s.Grants("s3:PutObject")
        && s.Condition is { } condition
        && condition.Any(op => op.Key.StartsWith("Bool", StringComparison.OrdinalIgnoreCase) && op.Value is System.Text.Json.Nodes.JsonObject keys
            && keys.Any(k => string.Equals(k.Key, "aws:SecureTransport", StringComparison.OrdinalIgnoreCase) && string.Equals(Single(k.Value), "false", StringComparison.OrdinalIgnoreCase)));

    /// <summary>A condition that ties an Allow to one account, organization or source (not open to the internet).</summary>
    private static bool Restricted(PolicyStatement s) =>
        s.HasConditionKey("aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceOrgID");

    /// <summary>The statement a function URL with AuthType AWS_IAM needs (Principal * limited to IAM-authenticated URL calls).</summary>
    private static bool UrlWithIam(PolicyStatement s) =>
        s.Condition is { } condition && condition.Any(op => op.Value is System.Text.Json.Nodes.JsonObject keys
            && keys.Any(k => string.Equals(k.Key, "lambda:FunctionUrlAuthType", StringComparison.OrdinalIgnoreCase) && string.Equals(Single(k.Value), "AWS_IAM", StringComparison.Ordinal)));

    private static string? Single(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonArray { Count: 1 } a => a[0]?.ToString(),
        null => null,
        _ => node.ToString(),
    };
}
