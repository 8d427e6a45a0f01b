using OpenKbs.Aws.Core;
using OpenKbs.Aws.IoT;
using OpenKbs.Aws.IoT.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.IoT;

[Collection(MotoCollection.Name)]
public sealed class IotClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task DescribeEndpoint_returns_the_ATS_data_endpoint_of_the_pinned_region()
    {
        using var host = new AwsTestHost(moto);
        var endpoint = await Members.In(host).IoT.DescribeEndpointAsync(new DescribeEndpointRequest { EndpointType = IotEndpointTypes.DataAts });
        Assert.Matches(@"^[a-z0-9]+-ats\.iot\.eu-central-1\.amazonaws\.com$", endpoint.EndpointAddress);
        Assert.Empty(host.Audit.Records); // a read: nothing to audit
    }

    [Fact]
    public async Task An_unknown_endpoint_type_is_a_service_error()
    {
        using var host = new AwsTestHost(moto);
        var error = await Assert.ThrowsAsync<AwsServiceException>(
            () => Members.In(host).IoT.DescribeEndpointAsync(new DescribeEndpointRequest { EndpointType = "iot:Nonsense" }));
        Assert.Equal("InvalidRequestException", error.ErrorCode);
    }
}
