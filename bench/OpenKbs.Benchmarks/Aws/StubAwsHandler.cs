using System.Net;
using System.Text;

namespace OpenKbs.Benchmarks.Aws;

/// <summary>Answers every AWS call at once with a fixed success body, so a measurement sees only the client side.</summary>
internal sealed class StubAwsHandler : HttpMessageHandler
{
    private static readonly byte[] Json = Encoding.UTF8.GetBytes("""{"Account":{"Id":"111111111111","Email":"a@example.com","Name":"a","Status":"ACTIVE"}}""");
    private static readonly byte[] Xml = Encoding.UTF8.GetBytes(
        """<GetRoleResponse><GetRoleResult><Role><RoleName>r</RoleName><Arn>arn:aws:iam::111111111111:role/r</Arn><AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument></Role></GetRoleResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetRoleResponse>""");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var query = request.Content?.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded";
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(query ? Xml : Json) };
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "bench");
        return Task.FromResult(response);
    }
}
