using OpenKbs.Api;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The region guard SCPs: one per distinct allowedRegions set, found by its deterministic name, created once and
/// re-used by every ClientAccount with that set; an edited document is put back. SCPs are enabled on the root first.
/// One lock for the process so concurrent passes never create the same policy twice.
/// </summary>
internal sealed class GuardrailPolicies(OrganizationRoot root) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The id of <paramref name="policy"/> in AWS, after creating it or restoring its content when needed.</summary>
    public async Task<string> EnsureAsync(AccountPass pass, RegionGuardPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(policy);
        var organizations = pass.Organizations;
        await root.EnsureServiceControlPoliciesAsync(
            organizations,
            rootId => pass.Event(EventType.Normal, "ServiceControlPoliciesEnabled", $"enabled service control policies on the organization root {rootId}"),
            cancellationToken);

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var existing = await FindAsync(pass, policy.Name, cancellationToken);
            if (existing is null)
            {
                try
                {
                    existing = (await organizations.CreatePolicyAsync(
                        new CreatePolicyRequest
                        {
                            Name = policy.Name,
                            Description = policy.Description,
                            Type = RegionGuardPolicy.PolicyType,
                            Content = policy.Content,
                            Tags = [new Tag { Key = Labels.ManagedBy, Value = Labels.ManagedByValue }],
                        },
                        cancellationToken)).Policy?.PolicySummary?.Id;
                    pass.Event(EventType.Normal, "GuardrailPolicyCreated", $"created service control policy {policy.Name} ({existing})");
                }
                catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.DuplicatePolicyException)
                {
                    existing = await FindAsync(pass, policy.Name, cancellationToken);
                }

                return existing
                    ?? throw new AwsServiceException("organizations", "CreatePolicy", "PolicyNotVisible", $"policy {policy.Name} is not visible yet", 0, null, AwsErrorClassification.Transient);
            }

            var document = (await organizations.DescribePolicyAsync(new DescribePolicyRequest { PolicyId = existing }, cancellationToken)).Policy?.Content;
            if (!policy.SameContent(document))
            {
                await organizations.UpdatePolicyAsync(
                    new UpdatePolicyRequest { PolicyId = existing, Content = policy.Content, Description = policy.Description }, cancellationToken);
                pass.Event(EventType.Warning, "GuardrailPolicyRestored", $"service control policy {policy.Name} ({existing}) had been edited; its content was put back");
            }

            return existing;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<string?> FindAsync(AccountPass pass, string name, CancellationToken cancellationToken)
    {
        var policies = (await pass.Organizations.ListPoliciesAsync(new ListPoliciesRequest { Filter = RegionGuardPolicy.PolicyType }, cancellationToken)).Policies;
        return policies
            .Where(p => p.Id is not null && string.Equals(p.Name, name, StringComparison.Ordinal))
            .Select(p => p.Id!)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public void Dispose() => _gate.Dispose();
}
