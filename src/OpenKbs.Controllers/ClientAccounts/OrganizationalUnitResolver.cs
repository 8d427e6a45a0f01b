using OpenKbs.Api;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// Resolves an OU path from the root, one level at a time (ListOrganizationalUnitsForParent), creating the OUs that
/// are missing. One lock for the process so two ClientAccounts never create the same OU twice (AWS rejects a duplicate
/// name with DuplicateOrganizationalUnitException, which is handled by reading again; moto does not reject it, so
/// when several OUs share a name the one with the smallest id wins, deterministically).
/// </summary>
internal sealed class OrganizationalUnitResolver(OrganizationRoot root) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The id of the OU at <paramref name="path"/> (the root id for the root).</summary>
    public async Task<string> ResolveAsync(AccountPass pass, OrganizationalUnitPath path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(path);
        var parent = await root.GetIdAsync(pass.Organizations, cancellationToken);
        if (path.IsRoot)
        {
            return parent;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var walked = new List<string>();
            foreach (var name in path.Segments)
            {
                walked.Add(name);
                var child = await FindChildAsync(pass, parent, name, cancellationToken);
                if (child is null)
                {
                    try
                    {
                        child = (await pass.Organizations.CreateOrganizationalUnitAsync(
                            new CreateOrganizationalUnitRequest
                            {
                                ParentId = parent,
                                Name = name,
                                Tags = [new Tag { Key = Labels.ManagedBy, Value = Labels.ManagedByValue }],
                            },
                            cancellationToken)).OrganizationalUnit?.Id;
                        pass.Event(EventType.Normal, "OrganizationalUnitCreated", $"created organizational unit {string.Join('/', walked)} ({child})");
                    }
                    catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.DuplicateOrganizationalUnitException)
                    {
                        child = await FindChildAsync(pass, parent, name, cancellationToken);
                    }
                }

                parent = child
                    ?? throw new AwsServiceException("organizations", "CreateOrganizationalUnit", "OrganizationalUnitNotVisible",
                        $"organizational unit {string.Join('/', walked)} is not visible yet", 0, null, AwsErrorClassification.Transient);
            }

            return parent;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<string?> FindChildAsync(AccountPass pass, string parentId, string name, CancellationToken cancellationToken)
    {
        var children = (await pass.Organizations.ListOrganizationalUnitsForParentAsync(
            new ListOrganizationalUnitsForParentRequest { ParentId = parentId }, cancellationToken)).OrganizationalUnits;
        return children
            .Where(ou => ou.Id is not null && string.Equals(ou.Name, name, StringComparison.Ordinal))
            .Select(ou => ou.Id!)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public void Dispose() => _gate.Dispose();
}
