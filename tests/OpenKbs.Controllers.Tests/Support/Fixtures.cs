using k8s.Models;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>Small builders for ClientAccounts: <c>Fixtures.Account("acme", spec => spec with { OrganizationalUnit = "Clients" })</c>.</summary>
internal static class Fixtures
{
    private static int s_sequence;

    public static ClientAccount Account(
        string name,
        Func<ClientAccountSpec, ClientAccountSpec>? spec = null,
        string @namespace = "tenants",
        DateTime? created = null,
        Action<ClientAccountStatus>? status = null)
    {
        var sequence = Interlocked.Increment(ref s_sequence);
        var resource = new ClientAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = @namespace,
                Uid = $"uid-{name}-{sequence:D4}",
                Generation = 1,
                ResourceVersion = "1",
                CreationTimestamp = created ?? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(sequence),
            },
            Spec = (spec ?? (s => s))(new ClientAccountSpec { Email = $"aws+{name}@example.com" }),
        };
        if (status is not null)
        {
            resource.Status = new ClientAccountStatus();
            status(resource.Status);
        }

        return resource;
    }
}
