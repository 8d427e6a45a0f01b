using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Aws;
using OpenKbs.Testing.Moto;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>Where every ClientAccount end-to-end test starts: moto reset, the recording chaos proxy in front of it, the organization created through it.</summary>
internal static class OrganizationProxy
{
    /// <summary>The proxy with <paramref name="chaos"/> (AWS creations take <paramref name="awsDuration"/> when given), the organization created.</summary>
    public static async Task<RecordingChaosProxy> StartAsync(MotoServerFixture moto, string chaos, TimeSpan? awsDuration = null)
    {
        ArgumentNullException.ThrowIfNull(moto);
        await moto.ResetAsync();
        var proxy = await RecordingChaosProxy.StartAsync(moto.Endpoint, AwsChaosSpec.Parse(chaos), awsDuration);
        try
        {
            Assert.Equal(0, (await AwsCli.RunAsync(proxy.Endpoint, "organizations", "create-organization", "--feature-set", "ALL")).ExitCode);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }
}
