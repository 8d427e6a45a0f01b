using System.Collections.Concurrent;
using System.Globalization;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Permissions;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Testing.Iam;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// Records every AWS call the layer sends (reads and mutations), as the IAM policy of the calling account sees it. With moto's
/// endpoint it also records, at the moment the call is sent, what IAM would evaluate that only AWS knows: the aliases of the
/// KMS key a call acts on (<c>kms:ResourceAliases</c>), the key behind an alias a DeleteAlias removes, and the ARNs of the
/// Organizations accounts, OUs, roots and policies a management call names (they carry the organization's id).
/// </summary>
internal sealed class AwsCallRecorder(Uri? endpoint = null) : IAwsCallObserver, IDisposable
{
    private const string ResourceAliases = "kms:ResourceAliases";
    private readonly ConcurrentQueue<Recorded> _calls = new();
    private readonly MotoReads? _moto = endpoint is null ? null : new MotoReads(endpoint);

    public IReadOnlyList<AwsCall> Calls => [.. _calls.Select(c => c.Call)];

    /// <summary>The platform bucket the management policy grants <c>s3:GetObject</c> on (<c>Project:ArtifactBucket</c>).</summary>
    public string ArtifactBucket { get; set; } = OpenKbs.Sandbox.Aws.Bootstrap.SandboxAws.ArtifactBucket;

    public void OnCall(AwsCall call) => _calls.Enqueue(new Recorded(call, call.AccountId is null ? ManagementChecks(call) : Checks(call)));

    public void Dispose() => _moto?.Dispose();

    /// <summary>
    /// The calls the generated policy of their account (docs/iam) would refuse, one line each ("member lambda:CreateFunction
    /// needs lambda:CreateFunction"): management calls against the management policy, member calls against the member access
    /// role's; each call's own action also on the resources it names with the request context (implied actions such as
    /// iam:PassRole act on another resource): a member call on its ARN, KMS DeleteAlias also on the key the alias named, a
    /// management call on every account, OU, root, policy, role or object it names ("*" when it names none). The tests' own
    /// calls (<paramref name="ignoredActor"/>) are left out.
    /// </summary>
    public IReadOnlyList<string> NotGranted(AwsActor? ignoredActor = null)
    {
        var management = OperatorPermissions.ManagementPolicy(new IamPolicyOptions { ArtifactBucket = ArtifactBucket });
        var member = OperatorPermissions.MemberPolicy();
        var json = (Management: management.ToJson(), Member: member.ToJson());
        var refusals = new List<string>();
        foreach (var (call, checks) in _calls.Where(c => ignoredActor is null || c.Call.Actor != ignoredActor))
        {
            var account = call.AccountId is null ? "management" : "member";
            var policy = call.AccountId is null ? management : member;
            refusals.AddRange(call.IamActions.Where(a => !policy.Actions.Contains(a)).Select(a => $"{account} {call.Action} needs {a}"));
            refusals.AddRange(checks
                .Where(c => policy.Actions.Contains(c.Action) && !IamPolicyEvaluator.IsAllowed(call.AccountId is null ? json.Management : json.Member, c.Action, c.Resource, c.Context))
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
            if (primary.StartsWith("kms:", StringComparison.Ordinal) && arn.Contains(":key/", StringComparison.Ordinal) && _moto is not null)
            {
                context[ResourceAliases] = _moto.KmsAliasesOf(account, call.Region, arn);
            }
            else if (primary == "kms:DeleteAlias" && _moto is not null)
            {
                // DeleteAlias is authorized on the alias (below) and on the key the alias names, with that key's aliases.
                var alias = arn[(arn.IndexOf(":alias/", StringComparison.Ordinal) + 1)..];
                if (_moto.KmsAliases(account, call.Region).FirstOrDefault(a => a.Alias == alias).TargetKeyId is { } target)
                {
                    var key = string.Create(CultureInfo.InvariantCulture, $"arn:aws:kms:{call.Region}:{account}:key/{target}");
                    checks.Add(new ResourceCheck(primary, key, new Dictionary<string, IReadOnlyList<string>>(context, StringComparer.Ordinal)
                    {
                        [ResourceAliases] = _moto.KmsAliasesOf(account, call.Region, key),
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

    /// <summary>
    /// The resource checks of a management call: its action on every resource the request names, as IAM sees them (the ids of
    /// Organizations and Account Management calls made ARNs with the organization moto holds; role and object ARNs as they are);
    /// "*" for a call that names none (ListRoots, CreateAccount: no resource-level permissions).
    /// </summary>
    private List<ResourceCheck> ManagementChecks(AwsCall call)
    {
        if (call.IamActions.Count == 0)
        {
            return [];
        }

        var primary = call.IamActions[0];
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["aws:RequestedRegion"] = [call.GlobalService ? "us-east-1" : call.Region] };
        var named = call.Targets.Concat(call.Resource is { } resource && !call.Targets.Contains(resource) ? [resource] : []).ToList();
        try
        {
            var resources = named.Count == 0 ? ["*"] : named.Select(id => ManagementArn(primary, id)).ToList();
            return [.. resources.Select(r => new ResourceCheck(primary, r, context))];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            return [.. named.Select(id => new ResourceCheck(primary, id, context, $"its ARN could not be read from moto: {ex.Message}"))];
        }
    }

    /// <summary>The ARN IAM authorizes a management call against for an id the request names.</summary>
    private string ManagementArn(string action, string id)
    {
        if (id.StartsWith("arn:", StringComparison.Ordinal))
        {
            return id;
        }

        var moto = _moto ?? throw new InvalidOperationException("no moto endpoint to read the organization from");
        var (organization, management) = moto.Organization();
        var service = action[..action.IndexOf(':', StringComparison.Ordinal)];
        return (service, id) switch
        {
            ("organizations", _) when id.StartsWith("p-", StringComparison.Ordinal) => moto.PolicyArn(id),
            ("organizations", _) when id.StartsWith("r-", StringComparison.Ordinal) => $"arn:aws:organizations::{management}:root/{organization}/{id}",
            ("organizations", _) when id.StartsWith("ou-", StringComparison.Ordinal) => $"arn:aws:organizations::{management}:ou/{organization}/{id}",
            ("organizations", _) => $"arn:aws:organizations::{management}:account/{organization}/{id}",
            ("account", _) => $"arn:aws:account::{management}:account/{organization}/{id}",
            _ => throw new InvalidOperationException($"{action} names {id}, which is no ARN"),
        };
    }

    private sealed record Recorded(AwsCall Call, IReadOnlyList<ResourceCheck> Checks);

    private sealed record ResourceCheck(string Action, string Resource, IReadOnlyDictionary<string, IReadOnlyList<string>> Context, string? Note = null);
}
