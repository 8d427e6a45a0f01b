using System.Net;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>
/// The AWS layer wired as in production but answered by a function instead of a server: for behaviour moto 5.2.1 lacks
/// (it does not paginate Lambda, Scheduler or CloudWatch lists, and never answers PartialData).
/// </summary>
internal sealed class CannedAws : IDisposable
{
    private readonly ServiceProvider _provider;

    public CannedAws(Func<HttpRequestMessage, string, HttpResponseMessage> answer)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IManagementCredentials>(new StaticManagementCredentials(new BasicAWSCredentials("AKIACANNED0000000001", "canned-secret")));
        services.AddOpenKbsAws(o =>
        {
            o.EndpointUrl = new Uri("http://canned.test");
            o.UseEnvironmentEndpoints = false;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
        }).AddHttpMessageHandler(() => new Handler(this, answer));
        _provider = services.BuildServiceProvider();
        Clients = new MemberAccountClients(
            _provider.GetRequiredService<AwsRequestPipeline>(),
            new AwsCallScope
            {
                AccountId = "123456789012",
                Region = "eu-central-1",
                Actor = Members.Project("shop"),
                Credentials = _ => ValueTask.FromResult<AWSCredentials>(new BasicAWSCredentials("AKIACANNED0000000001", "canned-secret")),
            },
            _provider.GetRequiredService<AwsSdkClientConfig>());
    }

    public IMemberAccountClients Clients { get; }

    /// <summary>Every request: method, path and query, and body.</summary>
    public List<(string Method, string PathAndQuery, string Body)> Requests { get; } = [];

    public static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Xml(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };

    public void Dispose() => _provider.Dispose();

    private sealed class Handler(CannedAws owner, Func<HttpRequestMessage, string, HttpResponseMessage> answer) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (owner.Requests)
            {
                owner.Requests.Add((request.Method.Method, request.RequestUri!.PathAndQuery, body));
            }

            var response = answer(request, body);
            response.RequestMessage = request;
            return response;
        }
    }
}
