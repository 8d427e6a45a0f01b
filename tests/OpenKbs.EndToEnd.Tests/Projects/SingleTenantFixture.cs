using OpenKbs.EndToEnd.Tests.Support;

namespace OpenKbs.EndToEnd.Tests.Projects;

/// <summary>
/// One operator process, no periodic drift checks (interval 1 h), and:
/// namespace <see cref="Tenant"/>: the example tenant (acme + shop) and Project <c>tampered</c> (the example with a SHA-256 that
/// does not match the artifact); namespace <see cref="Other"/>: a Project that names ClientAccount acme, which exists only in
/// <see cref="Tenant"/>; namespace <see cref="Disallowed"/>: a ClientAccount in eu-west-3 (an EU region the operator's
/// <c>Aws:AllowedRegions</c> does not list) with the example Project.
/// </summary>
public sealed class SingleTenantFixture : TenantWorldFixture
{
    /// <summary>Not the artifact's SHA-256 (that is db87…); well-formed, so admission lets it through.</summary>
    public const string WrongSha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public string Tenant { get; private set; } = string.Empty;

    public string Other { get; private set; } = string.Empty;

    public string Disallowed { get; private set; } = string.Empty;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["OPENKBS_Project__DriftCheckInterval"] = "01:00:00",
        ["OPENKBS_Aws__AllowedRegions__0"] = "eu-central-1",
    };

    private protected override async Task ApplyAsync(TenantWorld world)
    {
        Tenant = await world.NamespaceAsync("tenant");
        Other = await world.NamespaceAsync("other");
        Disallowed = await world.NamespaceAsync("paris");
        await world.ApplyAsync(TenantWorld.ExampleTenant(Tenant));
        await world.ApplyAsync(TenantWorld.ExampleProject(Tenant, p => p
            .Replace("name: shop", "name: tampered", StringComparison.Ordinal)
            .Replace("sha256: db8738746d4db84a39318ff0fc955d9f4866557d6d9467c4371f4f67cde24a83", $"sha256: {WrongSha256}", StringComparison.Ordinal)));
        await world.ApplyAsync(TenantWorld.ExampleProject(Other));
        await world.ApplyAsync(TenantWorld.ExampleTenant(Disallowed).Replace("eu-central-1", "eu-west-3", StringComparison.Ordinal));
    }
}
