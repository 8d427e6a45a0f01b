using System.Collections.Concurrent;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Permissions;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>Records every AWS call the layer sends (reads and mutations), as the IAM policy of the calling account sees it.</summary>
internal sealed class AwsCallRecorder : IAwsCallObserver
{
    private readonly ConcurrentQueue<AwsCall> _calls = new();

    public IReadOnlyList<AwsCall> Calls => [.. _calls];

    public void OnCall(AwsCall call) => _calls.Enqueue(call);

    /// <summary>
    /// The calls the generated policy of their account (docs/iam) would refuse, one line each ("member lambda:CreateFunction
    /// needs lambda:CreateFunction"): management calls against the management policy, member calls against the member access
    /// role's. The tests' own calls (<paramref name="ignoredActor"/>) are left out.
    /// </summary>
    public IReadOnlyList<string> NotGranted(AwsActor? ignoredActor = null)
    {
        var management = OperatorPermissions.ManagementPolicy().Actions;
        var member = OperatorPermissions.MemberPolicy().Actions;
        return Calls
            .Where(c => ignoredActor is null || c.Actor != ignoredActor)
            .SelectMany(c => c.IamActions
                .Where(a => !(c.AccountId is null ? management : member).Contains(a))
                .Select(a => $"{(c.AccountId is null ? "management" : "member")} {c.Action} needs {a}"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
