using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>An open watch stream: reads one JSON event per line.</summary>
public sealed class RawWatch(HttpRequestMessage request, HttpResponseMessage response, StreamReader reader) : IDisposable
{
    private Task<string?>? _pending;

    /// <summary>The next event (type and object), or null when the stream ended or nothing came within the timeout.</summary>
    public async Task<(string Type, JsonObject Object)?> NextAsync(TimeSpan timeout)
    {
        _pending ??= reader.ReadLineAsync();
        var winner = await Task.WhenAny(_pending, Task.Delay(timeout));
        if (winner != _pending)
        {
            return null;
        }

        string? line;
        try
        {
            line = await _pending;
        }
        catch (IOException)
        {
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }

        _pending = null;
        if (line is null)
        {
            return null;
        }

        var ev = JsonNode.Parse(line)!.AsObject();
        return (ev["type"]!.GetValue<string>(), ev["object"]!.AsObject());
    }

    /// <summary>Reads events until one satisfies <paramref name="match"/> (skipping others), or fails after the timeout.</summary>
    public async Task<(string Type, JsonObject Object)> WaitForAsync(Func<string, JsonObject, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var ev = await NextAsync(deadline - DateTime.UtcNow);
            if (ev is null)
            {
                break;
            }

            if (match(ev.Value.Type, ev.Value.Object))
            {
                return ev.Value;
            }
        }

        throw new Xunit.Sdk.XunitException($"no watch event matched: {what}");
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
        request.Dispose();
    }
}
