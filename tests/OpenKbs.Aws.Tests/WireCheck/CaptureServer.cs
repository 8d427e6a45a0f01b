using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenKbs.Aws.Tests.WireCheck;

/// <summary>
/// A loopback HTTP endpoint that records requests and answers 200 with a fixed JSON body, for services moto does not emulate
/// (Account Management): both clients send the same call to it and the recordings are compared.
/// </summary>
internal sealed class CaptureServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public CaptureServer(string responseJson)
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Requests.Enqueue(new Captured(
                    context.Request.HttpMethod,
                    context.Request.Url!.AbsolutePath,
                    context.Request.ContentType,
                    context.Request.Headers["Authorization"] ?? string.Empty,
                    body));
                var bytes = Encoding.UTF8.GetBytes(responseJson);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
    }

    public sealed record Captured(string Method, string Path, string? ContentType, string Authorization, string Body)
    {
        /// <summary>The SigV4 credential scope after the date: <c>region/service/aws4_request</c>.</summary>
        public string Scope => Authorization.Split("Credential=")[1].Split(',')[0].Split('/', 3)[2];
    }

    public Uri Endpoint { get; }

    public ConcurrentQueue<Captured> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
