using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// Test-only endpoints under <c>/__chaos/</c> (they never reach moto and never get faults):
/// <c>GET stats</c>, <c>GET spec</c>, <c>GET account/otp?accountId=</c>, <c>GET mail?address=</c>,
/// <c>GET|POST account/standalone</c> (<c>{"accountId":"…","paymentMethod":true,"eula":true,"phoneVerified":true}</c>), <c>POST faults</c>
/// (<c>{"kind":"Throttle","service":"lambda","operation":"UpdateFunctionCode","count":1,"afterBackend":false}</c>),
/// <c>POST reset</c> (realism state and scripted faults) and <c>POST reset-stats</c>.
/// </summary>
internal static class ChaosControlApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static async Task<HttpResponseMessage> HandleAsync(AwsChaosEngine engine, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var route = uri.AbsolutePath[AwsChaosHandler.ControlPrefix.Length..].TrimEnd('/');
        var get = request.Method == HttpMethod.Get;
        switch (route)
        {
            case "stats" when get:
                var stats = engine.Stats;
                return Answer(HttpStatusCode.OK, new JsonObject
                {
                    ["requests"] = stats.Requests,
                    ["delayed"] = stats.Delayed,
                    ["totalFaults"] = stats.TotalFaults,
                    ["faults"] = JsonSerializer.SerializeToNode(stats.Faults.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value), Json),
                    ["requestsByOperation"] = JsonSerializer.SerializeToNode(stats.RequestsByOperation, Json),
                    ["faultsByOperation"] = JsonSerializer.SerializeToNode(stats.FaultsByOperation, Json),
                    ["realismEvents"] = JsonSerializer.SerializeToNode(stats.RealismEvents, Json),
                    ["faultLog"] = JsonSerializer.SerializeToNode(stats.FaultLog.Select(f => new { f.Sequence, f.Service, f.Operation, Kind = f.Kind.ToString(), f.AfterBackend, f.Scripted }), Json),
                });
            case "spec" when get:
                return Answer(HttpStatusCode.OK, new JsonObject { ["spec"] = engine.Spec.ToString() });
            case "account/otp" when get:
                var accountId = HttpUtility.ParseQueryString(uri.Query)["accountId"] ?? string.Empty;
                return engine.PendingPrimaryEmailUpdate(accountId) is { } pending
                    ? Answer(HttpStatusCode.OK, new JsonObject { ["accountId"] = pending.AccountId, ["primaryEmail"] = pending.PrimaryEmail, ["otp"] = pending.Otp })
                    : Answer(HttpStatusCode.NotFound, new JsonObject { ["message"] = $"No pending primary email update for account '{accountId}'." });
            case "mail" when get:
                var address = HttpUtility.ParseQueryString(uri.Query)["address"] ?? string.Empty;
                return Answer(HttpStatusCode.OK, new JsonObject
                {
                    ["address"] = address,
                    ["mails"] = new JsonArray([.. engine.Mailbox.To(address).Select(m => (JsonNode)new JsonObject
                    {
                        ["to"] = m.To, ["subject"] = m.Subject, ["sentAt"] = m.SentAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        ["code"] = m.Code, ["body"] = m.Body,
                    })]),
                });
            case "account/standalone" when get:
                var standaloneOf = HttpUtility.ParseQueryString(uri.Query)["accountId"] ?? string.Empty;
                return engine.GetStandaloneReadiness(standaloneOf) is { } readiness
                    ? Answer(HttpStatusCode.OK, Readiness(standaloneOf, readiness))
                    : Answer(HttpStatusCode.NotFound, new JsonObject { ["message"] = "the Account API realism is off (account-api=off)" });
            case "account/standalone" when request.Method == HttpMethod.Post:
                return await SetStandaloneAsync(engine, request, cancellationToken);
            case "faults" when request.Method == HttpMethod.Post:
                var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
                if (body?["kind"]?.GetValue<string>() is not { } kindText || !Enum.TryParse<AwsFaultKind>(kindText, ignoreCase: true, out var kind))
                {
                    return Answer(HttpStatusCode.BadRequest, new JsonObject { ["message"] = $"'kind' must be one of {string.Join(", ", Enum.GetNames<AwsFaultKind>())}." });
                }

                engine.ScriptFault(
                    kind,
                    body["service"]?.GetValue<string>(),
                    body["operation"]?.GetValue<string>(),
                    body["count"]?.GetValue<int>() ?? 1,
                    body["afterBackend"]?.GetValue<bool>() ?? false);
                return Answer(HttpStatusCode.OK, new JsonObject { ["scripted"] = kind.ToString() });
            case "reset" when request.Method == HttpMethod.Post:
                engine.ResetState();
                return Answer(HttpStatusCode.OK, new JsonObject { ["reset"] = true });
            case "reset-stats" when request.Method == HttpMethod.Post:
                engine.ResetStats();
                return Answer(HttpStatusCode.OK, new JsonObject { ["reset"] = true });
            default:
                return Answer(HttpStatusCode.NotFound, new JsonObject { ["message"] = $"Unknown chaos control route '{request.Method} {uri.AbsolutePath}'." });
        }
    }

    private static async Task<HttpResponseMessage> SetStandaloneAsync(AwsChaosEngine engine, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        JsonObject? body;
        try
        {
            body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var accountId = body?["accountId"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        if (accountId is null || accountId.Length != 12 || !accountId.All(char.IsAsciiDigit))
        {
            return Answer(HttpStatusCode.BadRequest, new JsonObject { ["message"] = "'accountId' must be a 12-digit account id; optional booleans: paymentMethod, eula, phoneVerified." });
        }

        if (engine.GetStandaloneReadiness(accountId) is not { } current)
        {
            return Answer(HttpStatusCode.NotFound, new JsonObject { ["message"] = "the Account API realism is off (account-api=off)" });
        }

        bool Flag(string name, bool old) => body![name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : old;
        var next = new StandaloneReadiness(Flag("paymentMethod", current.PaymentMethod), Flag("eula", current.Eula), Flag("phoneVerified", current.PhoneVerified));
        engine.SetStandaloneReadiness(accountId, next);
        return Answer(HttpStatusCode.OK, Readiness(accountId, next));
    }

    private static JsonObject Readiness(string accountId, StandaloneReadiness readiness) => new()
    {
        ["accountId"] = accountId,
        ["paymentMethod"] = readiness.PaymentMethod,
        ["eula"] = readiness.Eula,
        ["phoneVerified"] = readiness.PhoneVerified,
        ["canLeave"] = readiness.FirstRefusal is null,
        ["refusal"] = readiness.FirstRefusal,
    };

    private static HttpResponseMessage Answer(HttpStatusCode status, JsonNode body) => new(status)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };
}
