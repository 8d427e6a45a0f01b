using System.Text.Json;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>What the JS SDK sent (<see cref="Request"/>) and parsed (<see cref="Output"/>, or the error) for one <see cref="WireCall"/>.</summary>
internal sealed record WireResult(bool Ok, int Status, JsonElement Output, string? ErrorName, string? ErrorMessage, WireRequest? Request)
{
    public JsonElement Get(params string[] path)
    {
        var element = Output;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element;
    }

    public WireResult EnsureOk() => Ok ? this : throw new InvalidOperationException($"JS SDK call failed: {ErrorName}: {ErrorMessage}");

    public static WireResult From(JsonElement element)
    {
        var ok = element.GetProperty("ok").GetBoolean();
        var request = element.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.Object ? WireRequest.From(r) : null;
        return new WireResult(
            ok,
            element.TryGetProperty("status", out var status) ? status.GetInt32() : 0,
            ok ? element.GetProperty("output").Clone() : default,
            ok ? null : element.GetProperty("code").GetString(),
            ok ? null : element.GetProperty("message").GetString(),
            request);
    }
}
