namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>The contract suite against the in-process sandbox.</summary>
public sealed class SandboxApiContractTests(SandboxTarget target) : ApiContractTests, IClassFixture<SandboxTarget>
{
    protected override IApiTarget Target => target;
}
