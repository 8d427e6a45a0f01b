using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>Writes JSON bodies, Status errors and Warning headers.</summary>
internal static class HttpJson
{
    public static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, int status, JsonNode body) => WriteAsync(context, status, KubeJson.Serialize(body));

    public static Task WriteErrorAsync(HttpContext context, ApiException error)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, error.Code, error.ToStatus());
    }

    public static void AddWarnings(HttpContext context, IEnumerable<string> warnings)
    {
        foreach (var w in warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - {KubeJson.Quote(w)}");
        }
    }

    public static JsonObject Success(string name, string group, string kind, string uid)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["uid"] = uid;
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }
}
