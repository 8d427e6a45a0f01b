using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// Organizations as AWS behaves and moto does not: CreateAccount stays IN_PROGRESS (and the account
/// invisible) for a while, at most N creations run at once per organization, failures arrive
/// asynchronously with their FailureReason, CloseAccount passes through PENDING_CLOSURE, and List*
/// calls now and then answer an empty page with a NextToken. Also hides still-creating accounts from
/// STS AssumeRole, and shows primary emails changed through the Account API.
/// </summary>
internal sealed class OrganizationsRealism(AwsChaosSpec spec, PrimaryEmailDirectory emails) : IRealismModule
{
    /// <summary>Email local parts with this marker fail: <c>x+fail-EMAIL_ALREADY_EXISTS@example.com</c> fails with that reason.</summary>
    public const string FailureMarker = "+fail-";

    private const string Target = "AWSOrganizationsV20161128.";
    private const string EmptyTokenPrefix = "openkbs-chaos-empty:";
    private const string InProgress = "IN_PROGRESS";
    private const string PendingClosure = "PENDING_CLOSURE";

    private static readonly Dictionary<string, string> ListMembers = new(StringComparer.Ordinal)
    {
        ["ListAccounts"] = "Accounts",
        ["ListAccountsForParent"] = "Accounts",
        ["ListCreateAccountStatus"] = "CreateAccountStatuses",
        ["ListOrganizationalUnitsForParent"] = "OrganizationalUnits",
        ["ListRoots"] = "Roots",
        ["ListPolicies"] = "Policies",
        ["ListPoliciesForTarget"] = "Policies",
        ["ListTargetsForPolicy"] = "Targets",
        ["ListParents"] = "Parents",
        ["ListChildren"] = "Children",
        ["ListTagsForResource"] = "Tags",
        ["ListHandshakesForOrganization"] = "Handshakes",
        ["ListDelegatedAdministrators"] = "DelegatedAdministrators",
        ["ListAWSServiceAccessForOrganization"] = "EnabledServicePrincipals",
    };

    private readonly AwsRealismOptions _options = spec.RealismOptions;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CreateRequest> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingTransition> _closing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _pageDraws = new(StringComparer.Ordinal);

    public bool Handles(AwsRequestInfo request) =>
        request.Service == "organizations" || (spec.Realism && request.Service == "sts" && request.Operation == "AssumeRole");

    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _closing.Clear();
        }

        _pageDraws.Clear();
    }

    /// <summary>True while the account's creation is still IN_PROGRESS (it must not be visible yet).</summary>
    public bool IsHidden(string accountId, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _requests.Values.Any(r => r.AccountId == accountId && r.Pending.IsPending(now));
        }
    }

    public async Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        if (context.Info.Service == "sts")
        {
            return await AssumeRoleAsync(context, cancellationToken);
        }

        var operation = context.Info.Operation;
        var body = context.Json();
        if (!spec.Realism || body is null)
        {
            return operation is "DescribeAccount" or "ListAccounts" or "ListAccountsForParent"
                ? await AccountsAsync(context, cancellationToken)
                : await context.ForwardAsync(cancellationToken);
        }

        if (ListMembers.TryGetValue(operation, out var member) && EmptyPage(context, body, member) is { } empty)
        {
            return empty;
        }

        switch (operation)
        {
            case "CreateAccount":
                return await CreateAccountAsync(context, body, cancellationToken);
            case "DescribeCreateAccountStatus":
                return await DescribeCreateAccountStatusAsync(context, body, cancellationToken);
            case "ListCreateAccountStatus":
                return await ListCreateAccountStatusAsync(context, body, cancellationToken);
            case "DescribeAccount" or "CloseAccount" or "MoveAccount" or "RemoveAccountFromOrganization"
                when Hidden(context, context.JsonString("AccountId")):
                return context.Error(400, "AccountNotFoundException", "You specified an account that doesn't exist.");
            case "ListParents" when Hidden(context, context.JsonString("ChildId")):
                return context.Error(400, "ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
            case "TagResource" or "UntagResource" or "ListTagsForResource" when Hidden(context, context.JsonString("ResourceId")):
                return context.Error(400, "TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.");
            case "CloseAccount":
                return await CloseAccountAsync(context, cancellationToken);
            case "DescribeAccount" or "ListAccounts" or "ListAccountsForParent":
                return await AccountsAsync(context, cancellationToken);
            default:
                return await context.ForwardAsync(cancellationToken);
        }
    }

    private bool Hidden(RealismContext context, string? accountId)
    {
        if (accountId is null || !IsHidden(accountId, context.Now))
        {
            return false;
        }

        context.Count("HiddenAccount");
        return true;
    }

    private async Task<HttpResponseMessage> CreateAccountAsync(RealismContext context, JsonObject body, CancellationToken cancellationToken)
    {
        var email = context.JsonString("Email") ?? string.Empty;
        var name = context.JsonString("AccountName") ?? string.Empty;
        var organization = await context.CallerAccountAsync(cancellationToken);
        var now = context.Now;
        var failure = MagicFailure(email);
        var reservation = new CreateRequest
        {
            Organization = organization,
            Id = "car-" + Guid.NewGuid().ToString("N"),
            AccountName = name,
            Email = email,
            RequestedTimestamp = now.ToUnixTimeMilliseconds() / 1000.0,
            Pending = PendingTransition.Start(_options.CreateAccountPolls, _options.CreateAccountDelay, now),
        };
        lock (_gate)
        {
            var inFlight = _requests.Values.Where(r => r.Organization == organization && r.Pending.IsPending(now)).ToList();
            if (inFlight.Count >= _options.MaxCreateAccountsInFlight)
            {
                context.Count("CreateAccountRateLimited");
                return context.Error(
                    400,
                    "ConstraintViolationException",
                    $"You have exceeded the number of accounts that can be created at the same time ({_options.MaxCreateAccountsInFlight} in progress). Wait for a CreateAccount request to finish, then try again.",
                    new Dictionary<string, string> { ["Reason"] = "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED" });
            }

            if (failure is null && inFlight.Any(r => r.Email.Equals(email, StringComparison.OrdinalIgnoreCase)))
            {
                failure = "CONCURRENT_ACCOUNT_MODIFICATION";
            }

            // Holds the slot while moto is asked; replaced by the real request id below.
            _requests[reservation.Id] = reservation;
        }

        try
        {
            if (failure is null && await EmailInUseAsync(context, email, cancellationToken))
            {
                failure = "EMAIL_ALREADY_EXISTS";
            }
        }
        catch
        {
            // The caller vanished (a killed client cancels the proxied call) or moto failed before anything was
            // created: no request exists. A reservation left behind would stay IN_PROGRESS for ever, hold one of the
            // organization's slots and fail every later request for this email as CONCURRENT_ACCOUNT_MODIFICATION.
            Forget(reservation.Id);
            throw;
        }

        if (failure is not null)
        {
            // AWS accepts the request and fails it later; moto never sees it.
            lock (_gate)
            {
                reservation.FailureReason = failure;
            }

            context.Count("CreateAccountFailed");
            return context.JsonAnswer(new JsonObject { ["CreateAccountStatus"] = Status(reservation, pending: true) });
        }

        HttpResponseMessage response;
        try
        {
            response = await context.ForwardAsync(cancellationToken);
        }
        catch
        {
            Forget(reservation.Id);
            throw;
        }

        JsonObject? json;
        try
        {
            // moto has answered: finish the bookkeeping even when the caller is gone (AWS does not undo a request
            // whose caller hung up).
            json = response.IsSuccessStatusCode ? await ResponseBodies.ReadJsonAsync(response, CancellationToken.None) : null;
        }
        catch
        {
            Forget(reservation.Id);
            response.Dispose();
            throw;
        }

        if (json?["CreateAccountStatus"] is not JsonObject status || status["Id"]?.GetValue<string>() is not { } id)
        {
            Forget(reservation.Id);
            return response;
        }

        lock (_gate)
        {
            _requests.Remove(reservation.Id);
            reservation.Id = id;
            reservation.AccountId = status["AccountId"]?.GetValue<string>();
            _requests[id] = reservation;
        }

        if (reservation.Pending.IsPending(now))
        {
            MarkInProgress(status);
        }

        ResponseBodies.SetJson(response, json);
        return response;
    }

    private async Task<HttpResponseMessage> DescribeCreateAccountStatusAsync(RealismContext context, JsonObject body, CancellationToken cancellationToken)
    {
        var id = context.JsonString("CreateAccountRequestId");
        CreateRequest? request;
        lock (_gate)
        {
            request = id is null ? null : _requests.GetValueOrDefault(id);
        }

        if (request is null)
        {
            return await context.ForwardAsync(cancellationToken);
        }

        if (request.FailureReason is not null)
        {
            bool stillPending;
            lock (_gate)
            {
                stillPending = request.Pending.Observe(context.Now);
            }

            return context.JsonAnswer(new JsonObject { ["CreateAccountStatus"] = Status(request, stillPending) });
        }

        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json)
        {
            return response;
        }

        bool pending;
        lock (_gate)
        {
            pending = request.Pending.Observe(context.Now);
        }

        if (pending && json["CreateAccountStatus"] is JsonObject status)
        {
            MarkInProgress(status);
        }

        ResponseBodies.SetJson(response, json);
        return response;
    }

    private async Task<HttpResponseMessage> ListCreateAccountStatusAsync(RealismContext context, JsonObject body, CancellationToken cancellationToken)
    {
        var states = (body["States"] as JsonArray)?.Select(s => s?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        var firstPage = body["NextToken"] is null;
        if (body.Remove("States"))
        {
            // moto filters on its own (always SUCCEEDED) state: ask for everything and filter here.
            context.ReplaceJson(body);
        }

        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json)
        {
            return response;
        }

        var organization = await context.CallerAccountAsync(cancellationToken);
        var statuses = json["CreateAccountStatuses"] as JsonArray ?? [];
        var result = new JsonArray();
        lock (_gate)
        {
            var now = context.Now;
            foreach (var item in statuses.OfType<JsonObject>().ToList())
            {
                statuses.Remove(item);
                if (item["Id"]?.GetValue<string>() is { } id && _requests.TryGetValue(id, out var request) && request.Pending.Observe(now))
                {
                    MarkInProgress(item);
                }

                result.Add(item);
            }

            if (firstPage)
            {
                foreach (var request in _requests.Values.Where(r => r.FailureReason is not null && r.Organization == organization))
                {
                    result.Add(Status(request, request.Pending.Observe(now)));
                }
            }
        }

        var filtered = new JsonArray();
        foreach (var item in result.OfType<JsonObject>().ToList())
        {
            result.Remove(item);
            if (states.Count == 0 || states.Contains(item["State"]?.GetValue<string>() ?? string.Empty))
            {
                filtered.Add(item);
            }
        }

        json["CreateAccountStatuses"] = filtered;
        ResponseBodies.SetJson(response, json);
        return response;
    }

    private async Task<HttpResponseMessage> CloseAccountAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var response = await context.ForwardAsync(cancellationToken);
        if (response.IsSuccessStatusCode && context.JsonString("AccountId") is { } accountId)
        {
            lock (_gate)
            {
                _closing[accountId] = PendingTransition.Start(_options.CloseAccountPolls, _options.CloseAccountDelay, context.Now);
            }
        }

        return response;
    }

    /// <summary>DescribeAccount / ListAccounts(ForParent): hide creating accounts, show PENDING_CLOSURE, show changed emails.</summary>
    private async Task<HttpResponseMessage> AccountsAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json)
        {
            return response;
        }

        var accounts = json["Account"] is JsonObject single ? [single] : (json["Accounts"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        lock (_gate)
        {
            var now = context.Now;
            foreach (var account in accounts)
            {
                var id = account["Id"]?.GetValue<string>() ?? string.Empty;
                if (spec.Realism && _requests.Values.Any(r => r.AccountId == id && r.Pending.IsPending(now)))
                {
                    (json["Accounts"] as JsonArray)?.Remove(account);
                    context.Count("HiddenAccount");
                    continue;
                }

                if (spec.Realism && _closing.TryGetValue(id, out var closing) && closing.Observe(now))
                {
                    account["Status"] = PendingClosure;
                    account["State"] = PendingClosure;
                }

                if (emails.Current(id) is { } email)
                {
                    account["Email"] = email;
                }
            }
        }

        ResponseBodies.SetJson(response, json);
        return response;
    }

    private async Task<HttpResponseMessage> AssumeRoleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var roleArn = context.Form("RoleArn") ?? string.Empty;
        var parts = roleArn.Split(':');
        if (parts.Length > 4 && IsHidden(parts[4], context.Now))
        {
            context.Count("HiddenAccount");
            var caller = await context.CallerAccountAsync(cancellationToken);
            return context.Error(403, "AccessDenied", $"User: arn:aws:iam::{caller}:root is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        }

        return await context.ForwardAsync(cancellationToken);
    }

    /// <summary>Now and then an empty page with a NextToken; the token it hands out resumes where the caller was.</summary>
    private HttpResponseMessage? EmptyPage(RealismContext context, JsonObject body, string member)
    {
        var token = body["NextToken"]?.GetValue<string>();
        if (token is not null && token.StartsWith(EmptyTokenPrefix, StringComparison.Ordinal))
        {
            var original = Encoding.UTF8.GetString(Convert.FromBase64String(token[EmptyTokenPrefix.Length..]));
            if (original.Length == 0)
            {
                body.Remove("NextToken");
            }
            else
            {
                body["NextToken"] = original;
            }

            context.ReplaceJson(body);
            return null;
        }

        if (_options.EmptyPageRate <= 0)
        {
            return null;
        }

        var key = "organizations:" + context.Info.Operation;
        var n = _pageDraws.AddOrUpdate(key, 1, (_, previous) => previous + 1);
        if (SeededRandom.Unit(spec.Seed, "empty-page", key, n) >= _options.EmptyPageRate)
        {
            return null;
        }

        context.Count("EmptyPage");
        return context.JsonAnswer(new JsonObject
        {
            [member] = new JsonArray(),
            ["NextToken"] = EmptyTokenPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(token ?? string.Empty)),
        });
    }

    private static async Task<bool> EmailInUseAsync(RealismContext context, string email, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var payload = new JsonObject();
            if (token is not null)
            {
                payload["NextToken"] = token;
            }

            using var request = context.JsonCall("organizations", Target + "ListAccounts", payload);
            using var response = await context.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json)
            {
                return false;
            }

            if ((json["Accounts"] as JsonArray)?.OfType<JsonObject>().Any(a => string.Equals(a["Email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase)) == true)
            {
                return true;
            }

            token = json["NextToken"]?.GetValue<string>();
        }
        while (token is not null);

        return false;
    }

    private static string? MagicFailure(string email)
    {
        var at = email.IndexOf(FailureMarker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var end = email.IndexOf('@', at);
        return email[(at + FailureMarker.Length)..(end < 0 ? email.Length : end)].ToUpperInvariant();
    }

    private static void MarkInProgress(JsonObject status)
    {
        status["State"] = InProgress;
        status.Remove("AccountId");
        status.Remove("CompletedTimestamp");
        status.Remove("FailureReason");
    }

    private static JsonObject Status(CreateRequest request, bool pending)
    {
        var status = new JsonObject
        {
            ["Id"] = request.Id,
            ["AccountName"] = request.AccountName,
            ["State"] = pending ? InProgress : "FAILED",
            ["RequestedTimestamp"] = request.RequestedTimestamp,
        };
        if (!pending)
        {
            status["CompletedTimestamp"] = request.RequestedTimestamp;
            status["FailureReason"] = request.FailureReason;
        }

        return status;
    }

    private void Forget(string id)
    {
        lock (_gate)
        {
            _requests.Remove(id);
        }
    }

    private sealed class CreateRequest
    {
        public required string Organization { get; init; }

        public required string Id { get; set; }

        public required string AccountName { get; init; }

        public required string Email { get; init; }

        public required double RequestedTimestamp { get; init; }

        public required PendingTransition Pending { get; init; }

        public string? AccountId { get; set; }

        public string? FailureReason { get; set; }
    }
}
