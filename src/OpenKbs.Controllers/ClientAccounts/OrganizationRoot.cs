using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The organization's root (its id never changes) and whether service control policies are enabled on it, remembered
/// for the process so every pass does not ask again. <see cref="Forget"/> drops what is remembered (e.g. after
/// PolicyTypeNotEnabledException, when someone disabled SCPs).
/// </summary>
internal sealed class OrganizationRoot : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _rootId;
    private bool _scpEnabled;

    public async Task<string> GetIdAsync(IOrganizationsClient organizations, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _rootId) is { } known)
        {
            return known;
        }

        var root = await ReadAsync(organizations, cancellationToken);
        return root.Id!;
    }

    /// <summary>Enables SERVICE_CONTROL_POLICY on the root once. Calls <paramref name="onEnabled"/> when this call enabled it.</summary>
    public async Task EnsureServiceControlPoliciesAsync(IOrganizationsClient organizations, Action<string> onEnabled, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _scpEnabled))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_scpEnabled)
            {
                return;
            }

            var root = await ReadAsync(organizations, cancellationToken);
            var enabled = root.PolicyTypes?.Any(t => t.Type == RegionGuardPolicy.PolicyType && t.Status == "ENABLED") == true;
            if (!enabled)
            {
                try
                {
                    await organizations.EnablePolicyTypeAsync(
                        new EnablePolicyTypeRequest { RootId = root.Id!, PolicyType = RegionGuardPolicy.PolicyType }, cancellationToken);
                    onEnabled(root.Id!);
                }
                catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.PolicyTypeAlreadyEnabledException)
                {
                    // Someone else enabled it meanwhile: fine.
                }
            }

            Volatile.Write(ref _scpEnabled, true);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Forget()
    {
        Volatile.Write(ref _scpEnabled, false);
        Volatile.Write(ref _rootId, null);
    }

    private async Task<Root> ReadAsync(IOrganizationsClient organizations, CancellationToken cancellationToken)
    {
        var roots = (await organizations.ListRootsAsync(new ListRootsRequest(), cancellationToken)).Roots;
        var root = roots.FirstOrDefault(r => r.Id is not null)
            ?? throw new AwsServiceException("organizations", "ListRoots", "NoRoot", "the organization has no root", 0, null, AwsErrorClassification.Transient);
        Volatile.Write(ref _rootId, root.Id);
        return root;
    }

    public void Dispose() => _gate.Dispose();
}
