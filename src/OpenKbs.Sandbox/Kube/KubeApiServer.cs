using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenKbs.Sandbox.Kube.Auth;
using OpenKbs.Sandbox.Kube.Engine;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Http;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube;

/// <summary>
/// A Kubernetes-compatible API server for development and tests: plain HTTP on loopback, no authentication (unless
/// <see cref="KubeApiServerOptions.Auth"/> turns on bearer tokens and RBAC), objects in
/// memory. Serves discovery, OpenAPI, namespaces, configmaps, secrets, events (core and events.k8s.io), leases, CRDs
/// and the custom resources they define, with Kubernetes' API semantics (see docs/sandbox.md for what is and is not modelled).
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ApiEngine _engine;
    private readonly BackgroundControllers _controllers;

    private KubeApiServer(WebApplication app, ApiEngine engine, BackgroundControllers controllers, SandboxFaults faults, SandboxAuthorization? authorization, X509Certificate2? certificate)
    {
        Certificate = certificate;
        _app = app;
        _engine = engine;
        _controllers = controllers;
        Faults = faults;
        Authorization = authorization;
    }

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Fault injection: make the next matching requests fail with a Kubernetes Status error.</summary>
    public SandboxFaults Faults { get; }

    /// <summary>Authentication and RBAC (tokens, decisions made, unused permissions); null unless started with <see cref="KubeApiServerOptions.Auth"/>.</summary>
    public SandboxAuthorization? Authorization { get; }

    /// <summary>
    /// The self-signed serving certificate (also its own CA) of a server with <see cref="KubeApiServerOptions.Auth"/>,
    /// which serves HTTPS like a real API server (kubectl sends a bearer token only over TLS); null for plain HTTP.
    /// </summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Starts a server; with <see cref="KubeApiServerOptions.Port"/> 0 on a free port.</summary>
    public static async Task<KubeApiServer> StartAsync(KubeApiServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var clock = new ResourceVersionClock();
        var compiler = SchemaAdapter.Compiler;
        var registry = new ResourceRegistry(clock, options.WatchHistorySize, compiler);
        BuiltInResources.Register(registry, compiler, options.TimeProvider);
        InstallationResources.Register(registry);
        if (options.Auth is not null)
        {
            AccessReviews.Register(registry);
        }

        var engine = new ApiEngine(registry, clock, options.TimeProvider);
        var authorization = options.Auth is null ? null : new SandboxAuthorization(options.Auth, registry);
        var controllers = new BackgroundControllers(engine, loggerFactory.CreateLogger<KubeApiServer>(), options.BookmarkInterval);
        var faults = new SandboxFaults();

        var certificate = options.Auth is null ? null : SelfSignedCertificate(options.TimeProvider);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoSignalLifetime>();
        if (options.LoggerFactory is not null)
        {
            builder.Services.AddSingleton(options.LoggerFactory);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            k.Limits.MinResponseDataRate = null;
            if (IPAddress.TryParse(options.Host, out var address))
            {
                k.Listen(address, options.Port, Configure);
            }
            else
            {
                k.ListenLocalhost(options.Port, Configure);
            }

            void Configure(ListenOptions l)
            {
                l.Protocols = HttpProtocols.Http1;
                if (certificate is not null)
                {
                    l.UseHttps(certificate);
                }
            }
        });
        var app = builder.Build();
        var server = new KubeApiServer(app, engine, controllers, faults, authorization, certificate);
        var handler = new ApiRequestHandler(
            engine, faults, new Schema.OpenApi.SchemaOpenApiProvider(new DefaultOpenApiProvider()), options, loggerFactory.CreateLogger<ApiRequestHandler>(), () => server.Url.Authority, authorization);
        app.Run(handler.HandleAsync);
        await app.StartAsync(ct);
        var address0 = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address0.EndsWith('/') ? address0 : address0 + "/");
        controllers.Start();

        var namespaces = registry.Find(string.Empty, "v1", "namespaces")!;
        foreach (var ns in options.InitialNamespaces)
        {
            engine.Create(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, new WriteOptions { FieldManager = "kube-apiserver" });
        }

        if (options.Auth is { BootstrapPolicy: true })
        {
            SandboxAuthorization.CreateBootstrapPolicy(engine);
        }

        return server;
    }

    /// <summary>
    /// Writes a kubeconfig for this server (cluster, user and context named <paramref name="contextName"/>) and returns its
    /// path. Its user carries <paramref name="token"/> (default: the admin token, which an authorizing server maps to
    /// system:masters; a server without <see cref="KubeApiServerOptions.Auth"/> ignores tokens).
    /// </summary>
    public string WriteKubeconfig(string path, string contextName = "openkbs-sandbox", string token = SandboxAuthOptions.DefaultAdminToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var server = Url.ToString().TrimEnd('/');
        var yaml = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server}")
            .Append(Certificate is null ? string.Empty : $"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(Certificate.ExportCertificatePem()))}\n")
            .AppendLine("users:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  user:")
            .AppendLine($"    token: {token}")
            .AppendLine("contexts:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {contextName}")
            .AppendLine($"    user: {contextName}")
            .AppendLine("    namespace: default")
            .AppendLine($"current-context: {contextName}")
            .ToString();
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>A KubernetesClient configuration pointing at this server, carrying <paramref name="token"/> (default: the admin token).</summary>
    public k8s.KubernetesClientConfiguration ClientConfiguration(string token = SandboxAuthOptions.DefaultAdminToken) =>
        new() { Host = Url.ToString().TrimEnd('/'), AccessToken = token, SslCaCerts = Certificate is null ? null : [X509CertificateLoader.LoadCertificate(Certificate.RawData)] };

    private static X509Certificate2 SelfSignedCertificate(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=openkbs-sandbox", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    /// <summary>Creates (or updates) every CRD found in the *.yaml / *.yml files of a folder (multi-document files are fine).</summary>
    public Task InstallCrdsAsync(string directory, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var type = _engine.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        var files = Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml")).OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var doc in YamlJson.ParseDocuments(File.ReadAllText(file)))
            {
                if (doc is not JsonObject crd || KubeJson.GetString(crd, "kind") != "CustomResourceDefinition")
                {
                    continue;
                }

                InstallCrd(type, crd, file);
            }
        }

        return Task.CompletedTask;
    }

    private void InstallCrd(ResourceType type, JsonObject crd, string source)
    {
        var name = KubeJson.GetString(crd, "metadata", "name") ?? throw new InvalidOperationException($"{source}: CRD without metadata.name");
        try
        {
            if (type.Store.Get(name) is { } existing)
            {
                KubeJson.Metadata(crd)["resourceVersion"] = existing.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                _engine.Update(type, null, name, null, crd, new WriteOptions { FieldManager = "openkbs-sandbox", FieldValidation = "Ignore" });
            }
            else
            {
                _engine.Create(type, null, crd, new WriteOptions { FieldManager = "openkbs-sandbox", FieldValidation = "Ignore" });
            }
        }
        catch (ApiException ex)
        {
            throw new InvalidOperationException($"{source}: CRD {name} rejected: {ex.Message}", ex);
        }
    }

    /// <summary>Closes every open watch stream abruptly (clients see the connection drop and must re-watch).</summary>
    public void DropAllWatches()
    {
        foreach (var store in _engine.Registry.Stores)
        {
            store.DropWatches(abort: true);
        }
    }

    /// <summary>Forgets the event history of every resource: watches (and continue tokens) from any older resourceVersion get 410 Gone.</summary>
    public void ExpireWatchHistory()
    {
        foreach (var store in _engine.Registry.Stores)
        {
            store.ExpireHistory();
        }
    }

    /// <summary>Number of open watches (all resources).</summary>
    public int OpenWatchCount => _engine.Registry.Stores.Sum(s => s.WatcherCount);

    /// <summary>Number of objects of a group/resource ("" for the core group), for tests and benchmarks.</summary>
    public int CountObjects(string group, string resource) =>
        _engine.Registry.Stores.FirstOrDefault(s => s.Group == group && s.Resource == resource)?.Count ?? 0;

    public async ValueTask DisposeAsync()
    {
        DropAllWatches();
        await _controllers.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
