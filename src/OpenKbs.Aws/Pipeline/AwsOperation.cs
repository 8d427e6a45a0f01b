using OpenKbs.Aws.Core;
using OpenKbs.Aws.Resilience;

namespace OpenKbs.Aws.Pipeline;

/// <summary>
/// The static description of one API operation, declared once per operation in its client (a <c>static readonly</c> field):
/// whether it mutates (audited), what may be retried, which rate-limit family it draws from. Mutation is declared here,
/// never guessed from the name at run time (a test checks the declarations against the name prefixes).
/// </summary>
internal sealed record AwsOperation(
    AwsService Service,
    string Name,
    bool Mutating,
    AwsRetryMode Retry = AwsRetryMode.Standard,
    string Family = AwsRateLimits.Control)
{
    /// <summary>The audit action, <c>service:Operation</c> with the IAM action prefix (e.g. <c>organizations:CreateAccount</c>).</summary>
    public string Action => $"{Service.ActionPrefix}:{Name}";

    /// <summary>
    /// The IAM actions a call of this operation needs, as the operator calls it: <see cref="Action"/> unless declared otherwise
    /// with <c>with { Iam = [...] }</c> where AWS authorizes it under another name (S3 <c>HeadBucket</c> is <c>s3:ListBucket</c>),
    /// under more actions (CloudFront <c>CreateDistributionWithTags</c> is <c>cloudfront:CreateDistribution</c> and
    /// <c>cloudfront:TagResource</c>; a Lambda function's role needs <c>iam:PassRole</c>), or under none
    /// (<c>sts:GetCallerIdentity</c>). The IAM policies of docs/iam are generated from these (<see cref="Permissions.OperatorPermissions"/>).
    /// </summary>
    public IReadOnlyList<string> IamActions => Iam ?? [Action];

    /// <summary>The declared IAM actions when they differ from <see cref="Action"/> (see <see cref="IamActions"/>).</summary>
    public IReadOnlyList<string>? Iam { get; init; }

    /// <summary>
    /// IAM actions AWS checks only when a call carries certain parameters (S3 <c>PutObject</c> with <c>x-amz-object-lock-*</c>
    /// headers is also authorized under <c>s3:PutObjectRetention</c>). Granted only by the statements that ask for them, so a
    /// policy for plain calls stays as narrow as before.
    /// </summary>
    public IReadOnlyList<string> ConditionalIam { get; init; } = [];

    public static AwsOperation Read(AwsService service, string name, string family = AwsRateLimits.Control) => new(service, name, Mutating: false, Family: family);

    public static AwsOperation Write(AwsService service, string name, AwsRetryMode retry = AwsRetryMode.Standard, string family = AwsRateLimits.Control) =>
        new(service, name, Mutating: true, retry, family);
}
