using System.Security.Cryptography;
using System.Text;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.ApiKeys;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The AWS names of a Project's resources, derived deterministically from its identity (namespace, name, uid), so every retry and
/// restart finds what an earlier pass created. Each name is <c>{namespace}-{name}</c> cleaned to the service's alphabet and cut
/// to its length limit, plus <see cref="Hash"/>, the first 8 hex characters of the SHA-256 of the uid: the cut never makes two
/// projects share a name, and a Project re-created under the same name (new uid) never takes over its predecessor's resources.
/// </summary>
internal sealed record ProjectNames
{
    private ProjectNames(string @namespace, string name, string uid)
    {
        Namespace = @namespace;
        Name = name;
        Uid = uid;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uid)))[..8];
    }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    /// <summary>8 hex characters of SHA-256(uid).</summary>
    public string Hash { get; }

    /// <summary>
    /// The KMS encryption context of an envelope this Project owns (<see cref="Aws.Crypto.EnvelopeContext.ForOwner"/> with kind Project): a
    /// sealed function setting (purpose = its variable name) or the staged API keys. Sealed for this uid, it opens for no other.
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvelopeContext(string purpose) =>
        Aws.Crypto.EnvelopeContext.ForOwner(Namespace, Project.KubeKind, Name, Uid, purpose);

    /// <summary>The S3 bucket (3-63 lowercase letters, digits and '-'; global namespace).</summary>
    public string Bucket => $"okbs-{Base(49)}-{Hash}";

    /// <summary>The bucket CloudFront delivers the distribution's standard access logs to (63 characters at most; docs/usage.md).</summary>
    public string CdnLogBucket => $"okbs-{Base(41)}-{Hash}-cdnlogs";

    /// <summary>The bucket's ARN.</summary>
    public string BucketArn => $"arn:aws:s3:::{Bucket}";

    /// <summary>The KMS alias of the project key (encrypts the bucket and the functions' sealed settings).</summary>
    public string KeyAlias => $"alias/openkbs/{Base(200)}-{Hash}";

    /// <summary>The functions' execution role (IAM, at most 64 characters).</summary>
    public string ExecutionRole => $"okbs-{Base(45)}-{Hash}-exec";

    /// <summary>The inline policy of the execution role.</summary>
    public const string ExecutionRolePolicy = "openkbs-least-privilege";

    /// <summary>The prefix every function name of this project starts with (22 + 1 + 8 + 1 characters).</summary>
    public string FunctionPrefix => $"{Base(22)}-{Hash}-";

    /// <summary>The Lambda function of spec function <paramref name="function"/> (at most 64 characters: the spec name has at most 32).</summary>
    public string Function(string function) => FunctionPrefix + function;

    /// <summary>The CloudWatch Logs group Lambda writes function <paramref name="function"/>'s logs to.</summary>
    public string LogGroup(string function) => "/aws/lambda/" + Function(function);

    /// <summary>The Aurora cluster identifier (letters, digits, single hyphens, at most 63).</summary>
    public string DatabaseCluster => $"okbs-{Base(49)}-{Hash}";

    /// <summary>The Aurora Serverless v2 writer instance identifier.</summary>
    public string DatabaseInstance => $"okbs-{Base(46)}-{Hash}-w1";

    /// <summary>The standby reader instance identifier (spec.database.standbyReplica), in another Availability Zone.</summary>
    public string DatabaseStandbyInstance => $"okbs-{Base(46)}-{Hash}-r1";

    /// <summary>The final snapshot taken before a Delete deletion removes the cluster (a time suffix is added by the step).</summary>
    public string DatabaseFinalSnapshotPrefix => $"okbs-{Base(30)}-{Hash}-final";

    /// <summary>The CloudFront distribution's CallerReference (idempotency: one distribution per Project uid).</summary>
    public string DistributionCallerReference => $"openkbs-{Uid}";

    /// <summary>The CloudFront origin access control (at most 64 characters).</summary>
    public string OriginAccessControl => $"okbs-{Base(50)}-{Hash}";

    /// <summary>The EventBridge Scheduler schedule group holding the project's schedules.</summary>
    public string ScheduleGroup => $"okbs-{Base(50)}-{Hash}";

    /// <summary>The role EventBridge Scheduler assumes to invoke the project's functions.</summary>
    public string SchedulerRole => $"okbs-{Base(44)}-{Hash}-sched";

    /// <summary>The Kubernetes Secret (in the project's namespace) that receives the plaintext API keys.</summary>
    public string ApiKeySecret => Name.Length <= 244 ? $"{Name}-api-keys" : $"{Name[..235]}-{Hash}-api-keys";

    /// <summary>Where functions may read and write data in the bucket (the execution role's prefix).</summary>
    public const string DataPrefix = "data/";

    /// <summary>Where verified artifacts are copied in the bucket, content-addressed.</summary>
    public const string ArtifactPrefix = "artifacts/sha256/";

    /// <summary>The key of the copy of an artifact with SHA-256 <paramref name="sha256"/>.</summary>
    public static string ArtifactKey(string sha256) => $"{ArtifactPrefix}{sha256}.zip";

    public static ProjectNames For(string @namespace, string name, string uid)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(uid);
        return new ProjectNames(@namespace, name, uid);
    }

    /// <summary><c>{namespace}-{name}</c> in lowercase letters, digits and single '-', at most <paramref name="max"/> characters.</summary>
    internal string Base(int max)
    {
        var clean = new StringBuilder();
        foreach (var c in $"{Namespace}-{Name}".ToLowerInvariant())
        {
            var next = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (next == '-' && (clean.Length == 0 || clean[^1] == '-'))
            {
                continue;
            }

            clean.Append(next);
        }

        var text = clean.ToString();
        if (text.Length > max)
        {
            text = text[..max];
        }

        return text.Trim('-');
    }
}
