using k8s;
using k8s.Models;

namespace OpenKbs.Runtime.Leader;

/// <summary>Gives the Lease up on graceful shutdown by deleting it (only if this process still holds it), so a standby acquires it at once.</summary>
internal static class LeaseRelease
{
    public static async Task<bool> ReleaseAsync(IKubernetes kubernetes, string @namespace, string name, string identity, CancellationToken cancellationToken)
    {
        var lease = await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!string.Equals(lease.Spec?.HolderIdentity, identity, StringComparison.Ordinal))
        {
            return false;
        }

        await kubernetes.CoordinationV1.DeleteNamespacedLeaseAsync(
            name,
            @namespace,
            new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = lease.Metadata.ResourceVersion, Uid = lease.Metadata.Uid } },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }
}
