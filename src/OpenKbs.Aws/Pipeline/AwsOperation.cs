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

    public static AwsOperation Read(AwsService service, string name, string family = AwsRateLimits.Control) => new(service, name, Mutating: false, Family: family);

    public static AwsOperation Write(AwsService service, string name, AwsRetryMode retry = AwsRetryMode.Standard, string family = AwsRateLimits.Control) =>
        new(service, name, Mutating: true, retry, family);
}
