namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>The contract suite against k3s (Testcontainers); skipped with the reason where no Docker engine exists.</summary>
public sealed class K3sApiContractTests(K3sTarget target) : ApiContractTests, IClassFixture<K3sTarget>
{
    protected override IApiTarget Target => target;

    protected override string? SkipReason => K3sTarget.UnavailableReason;
}
