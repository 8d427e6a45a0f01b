using System.Net;
using System.Text;
using System.Text.Json;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

/// <summary>
/// CreateAccount refused at once by AWS (nothing created), through the recipe engine's one exception mapping, against moto.
/// moto never refuses CreateAccount for the state of the management account (payment method, quota) or a concurrent change,
/// so <see cref="RefuseCreateAccount"/> answers the first CreateAccount with AWS's wire error in front of moto; every other
/// call, and CreateAccount afterwards, reaches moto.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class CreateAccountRefusalTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(ConstraintViolationReasons.MasterAccountPaymentInstrumentRequired, ConditionReasons.TerminalCreateAccountFailed, "no valid payment method")]
    [InlineData(ConstraintViolationReasons.AccountNumberLimitExceeded, ConditionReasons.TerminalAccountLimitExceeded, "account quota")]
    [InlineData("SOMETHING_NEW", ConditionReasons.TerminalCreateAccountFailed, "organizations:CreateAccount was refused with ConstraintViolationException (SOMETHING_NEW)")]
    public async Task A_refusal_naming_its_cause_fails_the_ClientAccount_with_AWS_words_and_frees_the_slot(string reason, string expectedReason, string fragment)
    {
        var (process, refuse, acme, result) = await FirstPassAsync("ConstraintViolationException", reason);
        using var disposing = process;

        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Equal(expectedReason, result.Reason);
        Assert.Contains(fragment, result.Message, StringComparison.Ordinal);
        Assert.Contains(reason, result.Message, StringComparison.Ordinal);
        var status = process.Read(acme).Status!;
        Assert.Equal(AccountState.Failed, status.State);
        Assert.Null(status.CreateAccountStartedAt);
        var created = Conditions.Find(status.Conditions, ConditionTypes.AccountCreated)!;
        Assert.Equal((ConditionStatus.False, expectedReason), (created.Status, created.Reason));
        Assert.Equal(0, process.Queue.InFlight);
        Assert.Equal(1, refuse.Refused);
        Assert.DoesNotContain((await process.Aws.Organizations.ListAccountsAsync(new ListAccountsRequest())).Accounts, a => a.Email == "aws+acme@example.com");
    }

    [Fact]
    public async Task A_passing_refusal_queues_the_ClientAccount_says_why_in_AccountCreated_and_the_next_pass_creates_it()
    {
        var (process, refuse, acme, result) = await FirstPassAsync("ConcurrentModificationException", null);
        using var disposing = process;

        Assert.Equal(ReconcileOutcome.Transient, result.Outcome);
        var status = process.Read(acme).Status!;
        Assert.Equal(AccountState.Queued, status.State);
        Assert.Null(status.CreateAccountStartedAt);
        var created = Conditions.Find(status.Conditions, ConditionTypes.AccountCreated)!;
        Assert.Equal((ConditionStatus.False, ConditionReasons.Queued), (created.Status, created.Reason));
        Assert.Contains("nothing was created", created.Message, StringComparison.Ordinal);
        Assert.Contains("organizations:CreateAccount failed with ConcurrentModificationException; retrying with backoff", created.Message, StringComparison.Ordinal);
        Assert.Equal(0, process.Queue.InFlight);

        await process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);
        Assert.Equal(AccountState.Active, process.Read(acme).Status!.State);
        Assert.Equal(1, refuse.Refused);
        Assert.Equal(2, process.Aws.Log.Count("CreateAccount"));
    }

    /// <summary>A new organization, ClientAccount acme, and its first pass with the first CreateAccount refused with <paramref name="code"/>.</summary>
    private async Task<(AccountProcess Process, RefuseCreateAccount Refuse, ClientAccount Acme, ReconcileResult First)> FirstPassAsync(string code, string? reason)
    {
        var refuse = new RefuseCreateAccount(code, reason);
        var process = new AccountProcess(moto.Endpoint, new InMemoryStatusStore(), new ListCache(), awsHandlers: [refuse]);
        await AwsHost.CreateOrganizationAsync(process.Aws.Organizations);
        var acme = process.Apply(Fixtures.Account("acme"));
        return (process, refuse, acme, await process.ReconcileAsync(acme));
    }

    /// <summary>Answers the first CreateAccount with an Organizations error (HTTP 400, awsJson1.1 body with <c>Reason</c>) as AWS words it.</summary>
    private sealed class RefuseCreateAccount(string code, string? reason) : DelegatingHandler
    {
        private int _refused;

        public int Refused => _refused;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.First() : string.Empty;
            if (!target.EndsWith(".CreateAccount", StringComparison.Ordinal) || Interlocked.CompareExchange(ref _refused, 1, 0) != 0)
            {
                return base.SendAsync(request, cancellationToken);
            }

            var body = new Dictionary<string, string> { ["__type"] = code, ["Message"] = $"refused for the test ({code})" };
            if (reason is not null)
            {
                body["Reason"] = reason;
            }

            var answer = new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                RequestMessage = request,
                Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/x-amz-json-1.1"),
            };
            answer.Headers.Add("x-amzn-RequestId", Guid.NewGuid().ToString());
            return Task.FromResult(answer);
        }
    }
}
