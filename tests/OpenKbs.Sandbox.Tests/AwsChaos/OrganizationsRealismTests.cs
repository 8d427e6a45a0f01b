using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

[Collection(MotoCollection.Name)]
public sealed class OrganizationsRealismTests(MotoServerFixture moto)
{
    private static JsonObject Account(string email) => new() { ["Email"] = email, ["AccountName"] = email.Split('@')[0] };

    [Fact]
    public async Task Aws_cli_sees_create_account_in_progress_and_the_account_only_after_success()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=1,empty-pages=0");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });

        var created = (await Chaos.CliAsync(proxy, "organizations", "create-account", "--email", "shop@example.com", "--account-name", "shop")).Json();
        var requestId = created.GetProperty("CreateAccountStatus").GetProperty("Id").GetString()!;
        Assert.Equal("IN_PROGRESS", created.GetProperty("CreateAccountStatus").GetProperty("State").GetString());
        Assert.False(created.GetProperty("CreateAccountStatus").TryGetProperty("AccountId", out _));

        var listed = await Chaos.OrganizationsAsync(proxy.Endpoint, "ListAccounts");
        Assert.DoesNotContain(listed["Accounts"]!.AsArray(), a => a.Text("Email") == "shop@example.com");

        var first = await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = requestId });
        Assert.Equal("IN_PROGRESS", first.Text("CreateAccountStatus.State"));
        var second = (await Chaos.CliAsync(proxy, "organizations", "describe-create-account-status", "--create-account-request-id", requestId)).Json();
        Assert.Equal("SUCCEEDED", second.GetProperty("CreateAccountStatus").GetProperty("State").GetString());
        var accountId = second.GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString();

        var after = await Chaos.OrganizationsAsync(proxy.Endpoint, "ListAccounts");
        Assert.Contains(after["Accounts"]!.AsArray(), a => a.Text("Id") == accountId);
    }

    [Fact]
    public async Task More_creations_than_allowed_in_flight_are_refused_with_the_rate_limit_reason()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=3,org-in-flight=5,empty-pages=0");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account($"t{i}@example.com"))).Text("CreateAccountStatus.Id"));
        }

        var (status, refused) = await Chaos.CallAsync(RawAws.Organizations(proxy.Endpoint, "CreateAccount", Account("t5@example.com")));

        Assert.Equal(400, status);
        Assert.Equal("ConstraintViolationException", refused.Text("__type"));
        Assert.Equal("ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED", refused.Text("Reason"));
        Assert.Equal(1, proxy.Engine.Stats.Realism("CreateAccountRateLimited"));

        // Once one finishes, a slot is free again.
        for (var poll = 0; poll < 4; poll++)
        {
            await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = ids[0] });
        }

        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account("t5@example.com"));
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "x+fail-INVALID_EMAIL@example.com", "INVALID_EMAIL" },
        { "x+fail-ACCOUNT_LIMIT_EXCEEDED@example.com", "ACCOUNT_LIMIT_EXCEEDED" },
        { "master@example.com", "EMAIL_ALREADY_EXISTS" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Failures_arrive_asynchronously_with_their_reason_and_no_account(string email, string reason)
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=1,empty-pages=0");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        var accountsBefore = (await Chaos.OrganizationsAsync(proxy.Endpoint, "ListAccounts"))["Accounts"]!.AsArray().Count;

        var created = await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account(email));
        var id = created.Text("CreateAccountStatus.Id");
        Assert.Equal("IN_PROGRESS", created.Text("CreateAccountStatus.State"));

        var pending = await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = id });
        var failed = await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = id });

        Assert.Equal("IN_PROGRESS", pending.Text("CreateAccountStatus.State"));
        Assert.Equal("FAILED", failed.Text("CreateAccountStatus.State"));
        Assert.Equal(reason, failed.Text("CreateAccountStatus.FailureReason"));
        Assert.Null(failed["CreateAccountStatus"]!["AccountId"]);
        Assert.Equal(accountsBefore, (await Chaos.OrganizationsAsync(proxy.Endpoint, "ListAccounts"))["Accounts"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_second_request_for_an_email_already_in_flight_fails_as_a_concurrent_modification()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=0,org-delay=10m,empty-pages=0");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account("same@example.com"));
        var second = await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account("same@example.com"));

        var listed = await Chaos.OrganizationsAsync(proxy.Endpoint, "ListCreateAccountStatus", new JsonObject { ["States"] = new JsonArray("IN_PROGRESS") });

        Assert.Equal(2, listed["CreateAccountStatuses"]!.AsArray().Count);
        Assert.All(listed["CreateAccountStatuses"]!.AsArray(), s => Assert.Equal("IN_PROGRESS", s.Text("State")));
        Assert.Contains(listed["CreateAccountStatuses"]!.AsArray(), s => s.Text("Id") == second.Text("CreateAccountStatus.Id"));
    }

    /// <summary>
    /// Seed 1022 of make chaos: the operator was killed while the realism layer checked the email of its CreateAccount;
    /// the reservation stayed IN_PROGRESS for ever, so every later request for that email failed as
    /// CONCURRENT_ACCOUNT_MODIFICATION and the ClientAccount cycled Creating/Queued until the test gave up.
    /// </summary>
    [Fact]
    public async Task A_create_account_whose_caller_hangs_up_during_the_email_check_leaves_nothing_in_flight()
    {
        await moto.ResetAsync();
        var engine = new AwsChaosEngine(AwsChaosSpec.Parse("realism=on,org-polls=1,org-in-flight=1,empty-pages=0"));
        var hangUp = new HangUpOnListAccounts { InnerHandler = new SocketsHttpHandler { UseProxy = false } };
        using var aws = new HttpClient(new AwsChaosHandler(engine, hangUp));
        async Task<JsonObject> CallAsync(string operation, JsonObject body)
        {
            using var response = await aws.SendAsync(RawAws.Organizations(moto.Endpoint, operation, body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{operation} answered {(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text)!.AsObject();
        }

        await CallAsync("CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        hangUp.Armed = true;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CallAsync("CreateAccount", Account("gone@example.com")));

        // Nothing was created, so nothing stays in flight: the same email is accepted again within the one-slot limit, and succeeds.
        var id = (await CallAsync("CreateAccount", Account("gone@example.com"))).Text("CreateAccountStatus.Id");
        JsonObject polled;
        var polls = 0;
        do
        {
            polled = await CallAsync("DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = id });
        }
        while (polled.Text("CreateAccountStatus.State") == "IN_PROGRESS" && ++polls < 5);

        Assert.Equal("SUCCEEDED", polled.Text("CreateAccountStatus.State"));
        Assert.Equal(0, engine.Stats.Realism("CreateAccountRateLimited"));
    }

    [Fact]
    public async Task A_creating_account_is_invisible_to_describe_and_assume_role_until_time_passes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=0,org-delay=5m,empty-pages=0", time);
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        var id = (await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account("slow@example.com"))).Text("CreateAccountStatus.Id");
        var accountId = (await Chaos.OrganizationsAsync(proxy.Endpoint, "ListCreateAccountStatus"))["CreateAccountStatuses"]!.AsArray()
            .Single(s => s.Text("Id") == id)!["AccountId"];
        Assert.Null(accountId);

        time.Advance(TimeSpan.FromMinutes(5));
        var done = await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = id });
        Assert.Equal("SUCCEEDED", done.Text("CreateAccountStatus.State"));
        var member = done.Text("CreateAccountStatus.AccountId");

        var (describeStatus, _) = await Chaos.CallAsync(RawAws.Organizations(proxy.Endpoint, "DescribeAccount", new JsonObject { ["AccountId"] = member }));
        Assert.Equal(200, describeStatus);
        var (assumeStatus, _) = await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "sts", "AssumeRole", "2011-06-15",
            [new("RoleArn", $"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"), new("RoleSessionName", "t")]));
        Assert.Equal(200, assumeStatus);
    }

    [Fact]
    public async Task While_creating_the_account_is_not_found_and_cannot_be_assumed()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=5,empty-pages=0");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account("hidden@example.com"));
        using var direct = await Chaos.Http.SendAsync(RawAws.Organizations(moto.Endpoint, "ListAccounts"));
        var member = (await RawAws.ReadJsonAsync(direct))["Accounts"]!.AsArray().Single(a => a.Text("Email") == "hidden@example.com").Text("Id");

        var (describeStatus, describe) = await Chaos.CallAsync(RawAws.Organizations(proxy.Endpoint, "DescribeAccount", new JsonObject { ["AccountId"] = member }));
        var (assumeStatus, _) = await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "sts", "AssumeRole", "2011-06-15",
            [new("RoleArn", $"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"), new("RoleSessionName", "t")]));

        Assert.Equal((400, "AccountNotFoundException"), (describeStatus, describe.Text("__type")));
        Assert.Equal(403, assumeStatus);
    }

    [Fact]
    public async Task Close_account_passes_through_pending_closure_before_suspended()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=0,close-polls=2,empty-pages=0");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        var id = (await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account("bye@example.com"))).Text("CreateAccountStatus.Id");
        var member = (await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = id })).Text("CreateAccountStatus.AccountId");

        await Chaos.OrganizationsAsync(proxy.Endpoint, "CloseAccount", new JsonObject { ["AccountId"] = member });
        var states = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var account = await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeAccount", new JsonObject { ["AccountId"] = member });
            Assert.Equal(account.Text("Account.Status"), account.Text("Account.State"));
            states.Add(account.Text("Account.Status"));
        }

        Assert.Equal(["PENDING_CLOSURE", "PENDING_CLOSURE", "SUSPENDED"], states);
    }

    [Fact]
    public async Task Empty_pages_with_a_next_token_break_naive_paging_but_not_a_loop_until_no_token()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=0,empty-pages=0.5,seed=5");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        for (var i = 0; i < 6; i++)
        {
            await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account($"p{i}@example.com"));
        }

        var all = new List<string>();
        var pages = 0;
        var emptyPagesWithToken = 0;
        string? token = null;
        do
        {
            var body = new JsonObject { ["MaxResults"] = 2 };
            if (token is not null)
            {
                body["NextToken"] = token;
            }

            var page = await Chaos.OrganizationsAsync(proxy.Endpoint, "ListAccounts", body);
            var accounts = page["Accounts"]!.AsArray();
            token = page["NextToken"]?.GetValue<string>();
            emptyPagesWithToken += accounts.Count == 0 && token is not null ? 1 : 0;
            all.AddRange(accounts.Select(a => a.Text("Email")));
            pages++;
        }
        while (token is not null && pages < 50);

        Assert.Equal(7, all.Distinct().Count());
        Assert.Equal(7, all.Count);
        Assert.True(emptyPagesWithToken > 0, "seed 5 at rate 0.5 yields at least one empty page");
        Assert.Equal(emptyPagesWithToken, proxy.Engine.Stats.Realism("EmptyPage"));
    }

    [Fact]
    public async Task Realism_off_passes_moto_through_unchanged()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "off");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });

        var created = await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", Account("plain@example.com"));

        Assert.Equal("SUCCEEDED", created.Text("CreateAccountStatus.State"));
        Assert.Equal(JsonValueKind.String, created["CreateAccountStatus"]!["AccountId"]!.GetValueKind());
    }
}
