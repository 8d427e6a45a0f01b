using OpenKbs.Api;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// the region guard SCP of the spec's allowedRegions is attached to the account, guard policies of other
/// region sets are detached (allowedRegions changed), and the account carries the ownership and spec tags.
/// Other SCPs (FullAWSAccess, the platform team's own) are never touched. The guard this account already had (status) found
/// detached is a security-relevant change: an incident (NIS2 Art. 23, <see cref="IncidentSignals"/>) before it is re-attached, and
/// once re-attached its cause is recorded cleared (the incident stays open until a person closes it).
/// </summary>
internal sealed class GuardrailStep(GuardrailPolicies policies, OrganizationRoot root, IncidentSignals? incidents = null) : IRecipeStep<AccountPass>
{
    public string Name => "guardrails";

    public string? ConditionType => ConditionTypes.GuardrailsApplied;

    public async Task<StepOutcome> RunAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        var accountId = pass.Status.AccountId!;
        var policy = RegionGuardPolicy.For(pass.Spec.AllowedRegions);
        var policyId = await policies.EnsureAsync(pass, policy, cancellationToken);
        var attached = (await pass.Organizations.ListPoliciesForTargetAsync(
            new ListPoliciesForTargetRequest { TargetId = accountId, Filter = RegionGuardPolicy.PolicyType }, cancellationToken)).Policies;

        if (!attached.Any(p => string.Equals(p.Id, policyId, StringComparison.Ordinal)))
        {
            IncidentReport? report = null;
            if (incidents is not null && string.Equals(pass.Status.GuardrailPolicyId, policyId, StringComparison.Ordinal))
            {
                report = new IncidentReport
                {
                    Namespace = pass.Key.Namespace,
                    Cause = IncidentCauses.GuardrailDetached,
                    Subject = $"ClientAccount/{pass.Key.Name}",
                    Resource = policyId,
                    Summary = $"region guard {policy.Name} ({policyId}) was found detached from account {accountId} outside the operator; it is re-attached",
                    Details = new Dictionary<string, string>(StringComparer.Ordinal) { ["accountId"] = accountId, ["policyId"] = policyId },
                    DetectedAt = pass.Now,
                    Actor = pass.Actor,
                };
                await incidents.RaiseAsync(report, pass.Event, account: null, pass.Now, cancellationToken);
            }

            try
            {
                await pass.Organizations.AttachPolicyAsync(new AttachPolicyRequest { PolicyId = policyId, TargetId = accountId }, cancellationToken);
                pass.Event(EventType.Normal, "GuardrailAttached", $"attached region guard {policy.Name} ({policyId}) to account {accountId}");
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.DuplicatePolicyAttachmentException)
            {
                // Attached meanwhile: fine.
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.PolicyTypeNotEnabledException)
            {
                root.Forget();
                throw;
            }

            if (report is not null)
            {
                // The cause is gone (the incident stays open for a person to close: Art. 23 reporting goes on).
                await incidents!.ClearedAsync(
                    IncidentClearance.Of(report, $"region guard {policy.Name} ({policyId}) re-attached to account {accountId} by the operator"),
                    pass.Event,
                    account: null,
                    pass.Now,
                    cancellationToken);
            }
        }

        foreach (var stale in attached.Where(p => RegionGuardPolicy.IsGuardName(p.Name) && !string.Equals(p.Id, policyId, StringComparison.Ordinal)))
        {
            await pass.Organizations.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = stale.Id!, TargetId = accountId }, cancellationToken);
            pass.Event(EventType.Normal, "GuardrailDetached", $"detached region guard {stale.Name} ({stale.Id}) from account {accountId}: allowedRegions changed");
        }

        pass.Status.GuardrailPolicyId = policyId;
        await AccountTags.ApplyAsync(pass, cancellationToken);
        pass.SetCondition(ConditionTypes.GuardrailsApplied, ConditionStatus.True, ConditionReasons.Available,
            $"region guard {policy.Name} ({policyId}) denies every action outside {string.Join(", ", policy.Regions)} (global services excepted); account tagged");
        return StepOutcome.Continue;
    }
}
