using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Audit.Dependencies;

namespace OpenKbs.Audit.Tests.Dependencies;

/// <summary>
/// A local HTTP server with the OSV API's querybatch and vulns shapes, answering from OSV files, so the online source
/// is tested over real HTTP without the internet. It pages every answer that has more than one id (as the real API
/// does for large answers) to exercise next_page_token, and can be told to fail.
/// </summary>
internal sealed class OsvTestServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<OsvAdvisory> _advisories;
    private readonly Dictionary<string, string> _raw;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public OsvTestServer(string advisoryDirectory)
    {
        _raw = Directory.EnumerateFiles(advisoryDirectory, "*.json", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .ToDictionary(t => OsvAdvisory.Parse(t)!.Id, StringComparer.Ordinal);
        _advisories = [.. _raw.Values.Select(t => OsvAdvisory.Parse(t)!)];
        var port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUri { get; }

    /// <summary>Status code to answer every request with instead of serving (0: serve).</summary>
    public int FailWith { get; set; }

    public List<JsonObject> Batches { get; } = [];

    public List<string> VulnRequests { get; } = [];

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }

        _stop.Dispose();
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Handle(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (FailWith != 0)
        {
            Write(context, FailWith, "{\"code\":13,\"message\":\"internal error\"}");
            return;
        }

        if (context.Request.HttpMethod == "POST" && path == "/v1/querybatch")
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
            lock (Batches)
            {
                Batches.Add(body);
            }

            var results = new JsonArray();
            foreach (var query in body["queries"]!.AsArray())
            {
                var name = query!["package"]!["name"]!.GetValue<string>();
                var ecosystem = query["package"]!["ecosystem"]!.GetValue<string>();
                var version = query["version"]!.GetValue<string>();
                var page = query["page_token"]?.GetValue<string>() is { } token ? int.Parse(token, System.Globalization.CultureInfo.InvariantCulture) : 0;
                var ids = ecosystem == "npm" ? _advisories.Where(a => OsvMatcher.IsAffected(a, name, version)).Select(a => a.Id).Order(StringComparer.Ordinal).ToList() : [];
                var result = new JsonObject();
                if (page < ids.Count)
                {
                    result["vulns"] = new JsonArray(new JsonObject { ["id"] = ids[page], ["modified"] = "2025-01-15T00:00:00Z" });
                    if (page + 1 < ids.Count)
                    {
                        result["next_page_token"] = (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                results.Add(result);
            }

            Write(context, 200, new JsonObject { ["results"] = results }.ToJsonString());
        }
        else if (context.Request.HttpMethod == "GET" && path.StartsWith("/v1/vulns/", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path["/v1/vulns/".Length..]);
            lock (VulnRequests)
            {
                VulnRequests.Add(id);
            }

            if (_raw.TryGetValue(id, out var json))
            {
                Write(context, 200, json);
            }
            else
            {
                Write(context, 404, "{\"code\":5,\"message\":\"Bug not found.\"}");
            }
        }
        else
        {
            Write(context, 404, "{}");
        }
    }

    private static void Write(HttpListenerContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.OutputStream.Write(bytes);
    }
}
