using System.Collections.Concurrent;
using System.Globalization;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Permissions;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Testing.Iam;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// Records every AWS call the layer sends (reads and mutations), as the IAM policy of the calling account sees it. With moto's
/// endpoint it also records, at the moment the call is sent, the request context IAM would evaluate that only AWS knows: the
/// aliases of the KMS key a call acts on (<c>kms:ResourceAliases</c>), and the key behind an alias a DeleteAlias removes.
/// </summary>
internal sealed class AwsCallRecorder(Uri? endpoint = null) : IAwsCallObserver, IDisposable
{
    private const string ResourceAliases = "kms:ResourceAliases";
    private readonly ConcurrentQueue<Recorded> _calls = new();
    private readonly MotoKmsAliases? _kms = endpoint is null ? null : new MotoKmsAliases(endpoint);

    public IReadOnlyList<AwsCall> Calls => [.. _calls.Select(c => c.Call)];

    public void OnCall(AwsCall call) => _calls.Enqueue(new Recorded(call, Checks(call)));

    public void Dispose() => _kms?.Dispose();

    /// <summary>
    /// The calls the generated policy of their account (docs/iam) would refuse, one line each ("member lambda:CreateFunction
    /// needs lambda:CreateFunction"): management calls against the management policy, member calls against the member access
    /// role's; member calls that name an ARN also on that resource with the request context (the call's own action; implied ones
    /// such as iam:PassRole act on another resource), and KMS DeleteAlias also on the key the alias named. The tests' own calls
    /// (<paramref name="ignoredActor"/>) are left out.
    /// </summary>
    public IReadOnlyList<string> NotGranted(AwsActor? ignoredActor = null)
    {
        var management = OperatorPermissions.ManagementPolicy();
        var member = OperatorPermissions.MemberPolicy();
        var memberJson = member.ToJson();
        var refusals = new List<string>();
        foreach (var (call, checks) in _calls.Where(c => ignoredActor is null || c.Call.Actor != ignoredActor))
        {
            var account = call.AccountId is null ? "management" : "member";
            var policy = call.AccountId is null ? management : member;
            refusals.AddRange(call.IamActions.Where(a => !policy.Actions.Contains(a)).Select(a => $"{account} {call.Action} needs {a}"));
            if (call.AccountId is null)
            {
                continue;
            }

            refusals.AddRange(checks
                .Where(c => policy.Actions.Contains(c.Action) && !IamPolicyEvaluator.IsAllowed(memberJson, c.Action, c.Resource, c.Context))
                .Select(c => $"{account} {call.Action} needs {c.Action} on {c.Resource}{Describe(c)}"));
        }

        return [.. refusals.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static string Describe(ResourceCheck check) =>
        (check.Context.TryGetValue(ResourceAliases, out var aliases) ? $" ({ResourceAliases}: {(aliases.Count == 0 ? "none" : string.Join(", ", aliases))})" : string.Empty)
        + (check.Note is null ? string.Empty : $" ({check.Note})");

    /// <summary>The resource checks of a member call, with the context as it is now (before the call is sent).</summary>
    private List<ResourceCheck> Checks(AwsCall call)
    {
        var checks = new List<ResourceCheck>();
        if (call.AccountId is not { } account || call.IamActions.Count == 0 || call.Resource is not { } arn || !arn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return checks;
        }

        var primary = call.IamActions[0];
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["aws:RequestedRegion"] = [call.GlobalService ? "us-east-1" : call.Region],
        };
        if (primary == "kms:ScheduleKeyDeletion" && call.Details.TryGetValue("PendingWindowInDays", out var window))
        {
            context["kms:ScheduleKeyDeletionPendingWindowInDays"] = [window];
        }

        string? note = null;
        try
        {
            if (primary.StartsWith("kms:", StringComparison.Ordinal) && arn.Contains(":key/", StringComparison.Ordinal) && _kms is not null)
            {
                context[ResourceAliases] = _kms.Of(account, call.Region, arn);
            }
            else if (primary == "kms:DeleteAlias" && _kms is not null)
            {
                // DeleteAlias is authorized on the alias (below) and on the key the alias names, with that key's aliases.
                var alias = arn[(arn.IndexOf(":alias/", StringComparison.Ordinal) + 1)..];
                if (_kms.All(account, call.Region).FirstOrDefault(a => a.Alias == alias).TargetKeyId is { } target)
                {
                    var key = string.Create(CultureInfo.InvariantCulture, $"arn:aws:kms:{call.Region}:{account}:key/{target}");
                    checks.Add(new ResourceCheck(primary, key, new Dictionary<string, IReadOnlyList<string>>(context, StringComparer.Ordinal)
                    {
                        [ResourceAliases] = _kms.Of(account, call.Region, key),
                    }));
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException or NullReferenceException)
        {
            note = $"the key's aliases could not be read from moto: {ex.Message}";
        }

        checks.Add(new ResourceCheck(primary, arn, context, note));
        return checks;
    }

    private sealed record Recorded(AwsCall Call, IReadOnlyList<ResourceCheck> Checks);

    private sealed record ResourceCheck(string Action, string Resource, IReadOnlyDictionary<string, IReadOnlyList<string>> Context, string? Note = null);
}
