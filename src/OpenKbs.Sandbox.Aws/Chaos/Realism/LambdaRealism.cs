using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// Lambda as AWS behaves and moto does not: a new function is <c>State=Pending</c> and an updated one
/// <c>LastUpdateStatus=InProgress</c> for a while, mutations in between get 409
/// ResourceConflictException, and <c>RevisionId</c> is a real optimistic lock (412 when stale).
/// </summary>
internal sealed class LambdaRealism(AwsRealismOptions options) : IRealismModule
{
    private static readonly HashSet<string> Mutations = new(StringComparer.Ordinal)
    {
        "UpdateFunctionCode", "UpdateFunctionConfiguration", "PublishVersion", "TagResource", "UntagResource",
        "PutFunctionConcurrency", "CreateFunctionUrlConfig", "UpdateFunctionUrlConfig", "CreateAlias", "UpdateAlias",
    };

    private static readonly HashSet<string> Updates = new(StringComparer.Ordinal) { "UpdateFunctionCode", "UpdateFunctionConfiguration" };

    private static readonly HashSet<string> RevisionChecked = new(StringComparer.Ordinal) { "UpdateFunctionCode", "UpdateFunctionConfiguration", "PublishVersion" };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FunctionState> _functions = new(StringComparer.Ordinal);

    public bool Handles(AwsRequestInfo request) => request.Service == "lambda";

    public void Reset()
    {
        lock (_gate)
        {
            _functions.Clear();
        }
    }

    public async Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var operation = context.Info.Operation;
        switch (operation)
        {
            case "CreateFunction":
                return await CreateAsync(context, cancellationToken);
            case "GetFunction" or "GetFunctionConfiguration":
                return await ReadAsync(context, operation == "GetFunction", cancellationToken);
            case "ListFunctions":
                return await ListAsync(context, cancellationToken);
            case "DeleteFunction":
                var deleted = await context.ForwardAsync(cancellationToken);
                if (deleted.IsSuccessStatusCode && await KeyFromPathAsync(context, cancellationToken) is { } gone)
                {
                    lock (_gate)
                    {
                        _functions.Remove(gone);
                    }
                }

                return deleted;
            case var _ when Mutations.Contains(operation):
                return await MutateAsync(context, cancellationToken);
            default:
                return await context.ForwardAsync(cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> CreateAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json
            || json["FunctionName"]?.GetValue<string>() is not { } name)
        {
            return response;
        }

        var key = await KeyAsync(context, name, cancellationToken);
        FunctionState state;
        lock (_gate)
        {
            state = new FunctionState
            {
                Arn = json["FunctionArn"]?.GetValue<string>() ?? name,
                RevisionId = NewRevision(),
                Creating = PendingTransition.Start(options.LambdaPolls, options.LambdaDelay, context.Now),
            };
            _functions[key] = state;
            Apply(json, state, creating: state.Creating.IsPending(context.Now), updating: false);
        }

        ResponseBodies.SetJson(response, json);
        return response;
    }

    private async Task<HttpResponseMessage> ReadAsync(RealismContext context, bool whole, CancellationToken cancellationToken)
    {
        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json
            || (whole ? json["Configuration"] : json) is not JsonObject configuration
            || configuration["FunctionName"]?.GetValue<string>() is not { } name)
        {
            return response;
        }

        var key = await KeyAsync(context, name, cancellationToken);
        lock (_gate)
        {
            var state = Adopt(key, configuration);
            var now = context.Now;
            var creating = state.Creating?.Observe(now) ?? false;
            var updating = !creating && (state.Updating?.Observe(now) ?? false);
            Apply(configuration, state, creating, updating);
        }

        ResponseBodies.SetJson(response, json);
        return response;
    }

    private async Task<HttpResponseMessage> ListAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json)
        {
            return response;
        }

        var account = await context.CallerAccountAsync(cancellationToken);
        lock (_gate)
        {
            var now = context.Now;
            foreach (var function in (json["Functions"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var name = function["FunctionName"]?.GetValue<string>() ?? string.Empty;
                var state = Adopt(Key(account, context.Info.Region, name), function);
                var creating = state.Creating?.IsPending(now) ?? false;
                Apply(function, state, creating, updating: !creating && (state.Updating?.IsPending(now) ?? false));
            }
        }

        ResponseBodies.SetJson(response, json);
        return response;
    }

    private async Task<HttpResponseMessage> MutateAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var operation = context.Info.Operation;
        var key = await KeyFromPathAsync(context, cancellationToken);
        lock (_gate)
        {
            var now = context.Now;
            var state = key is null ? null : _functions.GetValueOrDefault(key);
            if (state?.Creating?.IsPending(now) == true)
            {
                context.Count("ResourceConflict");
                return Conflict(context, "The operation cannot be performed at this time. The function is currently in the following state: Pending");
            }

            if (state?.Updating?.IsPending(now) == true)
            {
                context.Count("ResourceConflict");
                return Conflict(context, $"The operation cannot be performed at this time. An update is in progress for resource: {state.Arn}");
            }

            if (RevisionChecked.Contains(operation) && context.JsonString("RevisionId") is { } revision && state is not null && revision != state.RevisionId)
            {
                context.Count("PreconditionFailed");
                return context.Error(
                    412,
                    "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
                    new Dictionary<string, string> { ["Type"] = "User" });
            }
        }

        var response = await context.ForwardAsync(cancellationToken);
        if (!Updates.Contains(operation) || key is null || !response.IsSuccessStatusCode
            || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json)
        {
            return response;
        }

        lock (_gate)
        {
            var state = Adopt(key, json);
            state.RevisionId = NewRevision();
            state.Updating = PendingTransition.Start(options.LambdaPolls, options.LambdaDelay, context.Now);
            Apply(json, state, creating: false, updating: state.Updating.IsPending(context.Now));
        }

        ResponseBodies.SetJson(response, json);
        return response;
    }

    private static HttpResponseMessage Conflict(RealismContext context, string message) =>
        context.Error(409, "ResourceConflictException", message, new Dictionary<string, string> { ["Type"] = "User" });

    private static void Apply(JsonObject configuration, FunctionState state, bool creating, bool updating)
    {
        configuration["RevisionId"] = state.RevisionId;
        if (creating)
        {
            configuration["State"] = "Pending";
            configuration["StateReason"] = "The function is being created.";
            configuration["StateReasonCode"] = "Creating";
            configuration.Remove("LastUpdateStatus");
            configuration.Remove("LastUpdateStatusReason");
            configuration.Remove("LastUpdateStatusReasonCode");
            return;
        }

        configuration["State"] = "Active";
        configuration.Remove("StateReason");
        configuration.Remove("StateReasonCode");
        if (updating)
        {
            configuration["LastUpdateStatus"] = "InProgress";
            configuration["LastUpdateStatusReason"] = "The function is being updated.";
            configuration["LastUpdateStatusReasonCode"] = "Updating";
        }
        else if (state.Updating is not null || configuration["LastUpdateStatus"] is not null)
        {
            configuration["LastUpdateStatus"] = "Successful";
            configuration.Remove("LastUpdateStatusReason");
            configuration.Remove("LastUpdateStatusReasonCode");
        }
    }

    private FunctionState Adopt(string key, JsonObject configuration)
    {
        if (!_functions.TryGetValue(key, out var state))
        {
            state = new FunctionState { Arn = configuration["FunctionArn"]?.GetValue<string>() ?? key, RevisionId = NewRevision() };
            _functions[key] = state;
        }

        return state;
    }

    private static async Task<string> KeyAsync(RealismContext context, string name, CancellationToken cancellationToken) =>
        Key(await context.CallerAccountAsync(cancellationToken), context.Info.Region, name);

    private static async Task<string?> KeyFromPathAsync(RealismContext context, CancellationToken cancellationToken) =>
        RestOperations.LambdaFunctionSegment(context.Path) is { } segment ? await KeyAsync(context, FunctionName(segment), cancellationToken) : null;

    private static string Key(string account, string region, string name) => account + "/" + region + "/" + name;

    /// <summary>The bare name from a name, <c>name:qualifier</c>, partial ARN or full ARN.</summary>
    internal static string FunctionName(string reference)
    {
        var at = reference.IndexOf(":function:", StringComparison.Ordinal);
        var rest = at >= 0 ? reference[(at + ":function:".Length)..] : reference;
        return rest.Split(':')[0];
    }

    private static string NewRevision() => Guid.NewGuid().ToString();

    private sealed class FunctionState
    {
        public required string Arn { get; init; }

        public required string RevisionId { get; set; }

        public PendingTransition? Creating { get; init; }

        public PendingTransition? Updating { get; set; }
    }
}
