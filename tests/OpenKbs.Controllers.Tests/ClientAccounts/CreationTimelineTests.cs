using System.Net;
using System.Text;
using OpenKbs.Testing.Aws;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

/// <summary>The instrument behind the in-flight assertions: what it takes as the end of a creation.</summary>
public sealed class CreationTimelineTests
{
    [Fact]
    public async Task A_listed_account_ends_the_first_request_for_its_email_but_not_a_later_duplicate()
    {
        var answers = new Queue<string>(
        [
            """{"CreateAccountStatus":{"Id":"car-1","State":"IN_PROGRESS"}}""",
            """{"CreateAccountStatus":{"Id":"car-2","State":"IN_PROGRESS"}}""",
            """{"CreateAccountStatus":{"Id":"car-3","State":"IN_PROGRESS"}}""",
            """{"Accounts":[{"Id":"111111111111","Email":"A@example.com"}]}""",
            """{"Account":{"Id":"222222222222","Email":"b@example.com"}}""",
        ]);
        var timeline = new CreationTimeline { InnerHandler = new Answering(answers) };
        using var client = new HttpClient(timeline);

        await SendAsync(client, "CreateAccount", """{"Email":"a@example.com","AccountName":"a"}""");
        await SendAsync(client, "CreateAccount", """{"Email":"a@example.com","AccountName":"a"}"""); // a doomed duplicate
        await SendAsync(client, "CreateAccount", """{"Email":"b@example.com","AccountName":"b"}""");
        Assert.Equal(3, timeline.MaxInFlight());

        await SendAsync(client, "ListAccounts", "{}");
        await SendAsync(client, "DescribeAccount", """{"AccountId":"222222222222"}""");

        Assert.Equal(["car-1", "car-3"], timeline.Finished.Keys.Order());
        Assert.Equal(3, timeline.MaxInFlight()); // the maximum stays: all three overlapped before the reads
    }

    private static async Task SendAsync(HttpClient client, string operation, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://aws.test/")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"AWSOrganizationsV20161128.{operation}");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed class Answering(Queue<string> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answers.Dequeue(), Encoding.UTF8, "application/x-amz-json-1.1") });
    }
}
