using System.Collections.Concurrent;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Permissions;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Testing.Iam;

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
    /// role's, member calls that name an ARN also on that resource (the call's own action; implied ones such as
    /// iam:PassRole act on another resource). The tests' own calls (<paramref name="ignoredActor"/>) are left out.
    /// </summary>
    public IReadOnlyList<string> NotGranted(AwsActor? ignoredActor = null)
    {
        var management = OperatorPermissions.ManagementPolicy();
        var member = OperatorPermissions.MemberPolicy();
        var memberJson = member.ToJson();
        return Calls
            .Where(c => ignoredActor is null || c.Actor != ignoredActor)
            .SelectMany(c => c.IamActions.Select((a, i) => (Call: c, Action: a, Primary: i == 0)))
            .Select(x => Refusal(x.Call, x.Action, x.Primary, x.Call.AccountId is null ? management : member, memberJson))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string? Refusal(AwsCall call, string action, bool primary, IamPolicy policy, string memberJson)
    {
        var account = call.AccountId is null ? "management" : "member";
        if (!policy.Actions.Contains(action))
        {
            return $"{account} {call.Action} needs {action}";
        }

        return call.AccountId is not null && primary && call.Resource is { } arn && arn.StartsWith("arn:", StringComparison.Ordinal) && !IamPolicyEvaluator.IsAllowed(memberJson, action, arn, Context(call))
            ? $"{account} {call.Action} needs {action} on {arn}"
            : null;
    }

    /// <summary>The request context the member policy's conditions read: the region the request is signed for (us-east-1 for a global service).</summary>
    private static Dictionary<string, string> Context(AwsCall call) => new(StringComparer.Ordinal) { ["aws:RequestedRegion"] = call.GlobalService ? "us-east-1" : call.Region };
}
