using System.Globalization;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Sandbox.Aws.Bootstrap;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing;
using OpenKbs.Testing.Aws;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using OpenKbs.Zip;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>
/// One end-to-end world for Project tests: moto reset and bootstrapped like <c>openkbs sandbox</c> does it (organization,
/// platform bucket <c>openkbs-artifacts</c>, the example artifacts), the recording realism proxy in front of it (Lambda
/// Pending/InProgress/409, CloudFront InProgress/If-Match, RDS creating), the sandbox API server, and <c>openkbs run</c> as a
/// process with short waits. The operator can be killed (SIGKILL) and started again.
/// </summary>
internal sealed class TenantWorld : IAsyncDisposable
{
    /// <summary>Waits for convergence: generous, a loaded 2-core machine is slow.</summary>
    public static readonly TimeSpan Converge = TimeSpan.FromMinutes(4);

    private readonly SandboxFixture _sandbox;
    private readonly List<string> _namespaces = [];
    private readonly List<string> _previousOutput = [];

    private TenantWorld(SandboxFixture sandbox, Uri moto, RecordingChaosProxy proxy, IReadOnlyDictionary<string, string> environment)
    {
        _sandbox = sandbox;
        Moto = moto;
        Proxy = proxy;
        Environment = environment;
    }

    public Uri Moto { get; }

    /// <summary>The proxy every AWS call of the operator and of the aws CLI sessions goes through; its engine counts them.</summary>
    public RecordingChaosProxy Proxy { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public OperatorProcess? Operator { get; private set; }

    public SandboxFixture Sandbox => _sandbox;

    public k8s.IKubernetes Client => _sandbox.Client;

    public AccountSession Management => AccountSession.Management(Proxy.Endpoint);

    /// <summary>The settings every Project world uses: short named waits (the production values are in ProjectWaits/ClientAccountWaits).</summary>
    public static Dictionary<string, string> FastProjectWaits() => new()
    {
        ["OPENKBS_ARTIFACT_BUCKET"] = SandboxAws.ArtifactBucket,
        ["OPENKBS_Project__WaitForAccount"] = "00:00:01",
        ["OPENKBS_Project__WaitForLambda"] = "00:00:00.200",
        ["OPENKBS_Project__WaitForIamPropagation"] = "00:00:00.200",
        ["OPENKBS_Project__WaitForDatabase"] = "00:00:00.300",
        ["OPENKBS_Project__WaitForDistribution"] = "00:00:00.300",
    };

    /// <summary>Resets moto, bootstraps it, starts the proxy with <paramref name="chaos"/> (realism on unless it says otherwise).</summary>
    public static async Task<TenantWorld> StartAsync(SandboxFixture sandbox, string chaos = "realism=on,seed=1", IReadOnlyDictionary<string, string>? settings = null)
    {
        var moto = await MotoServerFixture.GetSharedServerAsync();
        await moto.ResetAsync();
        await SandboxAws.BootstrapAsync(moto.Endpoint, Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples"), TextWriter.Null);
        var proxy = await RecordingChaosProxy.StartAsync(moto.Endpoint, AwsChaosSpec.Parse(chaos));
        var environment = OperatorProcess.AwsEnvironment(proxy.Endpoint)
            .Concat(OperatorProcess.FastWaits())
            .Concat(FastProjectWaits())
            .Concat(settings ?? new Dictionary<string, string>())
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        return new TenantWorld(sandbox, moto.Endpoint, proxy, environment);
    }

    /// <summary>A fresh namespace the operator will watch (start or restart the operator after adding namespaces).</summary>
    public async Task<string> NamespaceAsync(string prefix)
    {
        var ns = await _sandbox.CreateNamespaceAsync(prefix);
        _namespaces.Add(ns);
        return ns;
    }

    /// <param name="metricsBindAddress">Where the operator serves <c>/metrics</c>; none by default.</param>
    public void StartOperator(string metricsBindAddress = "0")
    {
        if (Operator is not null)
        {
            _previousOutput.Add(Operator.Output);
        }

        Operator = OperatorProcess.Start(_sandbox.KubeconfigPath, _namespaces, Environment, metricsBindAddress);
    }

    /// <summary>SIGKILL: no shutdown hook runs.</summary>
    public void KillOperator() => Operator?.Kill();

    /// <summary>The example tenant of docs/examples/tenant.yaml (ClientAccount acme + Project shop) moved into <paramref name="ns"/>
    /// with an email of its own; <paramref name="edit"/> may change the Project's YAML text.</summary>
    public static string ExampleTenant(string ns, Func<string, string>? edit = null) =>
        ExampleAccount(ns) + "\n---\n" + ExampleProject(ns, edit);

    /// <summary>The example's ClientAccount acme in <paramref name="ns"/>, email aws+NS@example.com.</summary>
    public static string ExampleAccount(string ns) => ExampleDocument("ClientAccount", ns);

    /// <summary>The example's Project shop in <paramref name="ns"/> (referencing ClientAccount acme), edited by <paramref name="edit"/>.</summary>
    public static string ExampleProject(string ns, Func<string, string>? edit = null)
    {
        var project = ExampleDocument("Project", ns);
        return (edit is null ? project : edit(project)) + "\n";
    }

    private static string ExampleDocument(string kind, string ns)
    {
        var text = File.ReadAllText(Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "tenant.yaml"));
        return text.Split("\n---\n").Single(d => d.Contains($"\nkind: {kind}\n", StringComparison.Ordinal))
            .Replace("namespace: acme", $"namespace: {ns}", StringComparison.Ordinal)
            .Replace("aws+acme@example.com", $"aws+{ns}@example.com", StringComparison.Ordinal)
            .TrimEnd('\n');
    }

    public async Task ApplyAsync(string manifest)
    {
        var apply = await Kubectl.RunAsync(_sandbox.KubeconfigPath, manifest, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, $"kubectl apply failed: {apply.Error}\n{manifest}");
    }

    /// <summary>Waits for the ClientAccount <c>acme</c> of <paramref name="ns"/> to be Ready and returns its account id.</summary>
    public async Task<string> AccountIdAsync(string ns)
    {
        var account = Assert.Single(await ClientAccountApi.WaitAllReadyAsync(Client, ns, 1, Converge, diagnostics: Diagnostics));
        return account.Status!.AccountId!;
    }

    public Task<Project> WaitReadyAsync(string ns, string name = "shop") => ProjectApi.WaitReadyAsync(Client, ns, name, Converge, Diagnostics);

    /// <summary>A session in the client account, through the proxy like every other client.</summary>
    public Task<AccountSession> ClientAsync(string accountId) => AccountSession.AssumeAsync(Proxy.Endpoint, accountId);

    /// <summary>Uploads a deterministic zip of <paramref name="files"/> to the platform bucket; returns its SHA-256.</summary>
    public async Task<string> UploadArtifactAsync(string key, IReadOnlyDictionary<string, string> files)
    {
        var dir = Path.Combine(_sandbox.WorkDirectory, "artifact-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        foreach (var (name, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(dir, name), content);
        }

        var zip = DeterministicZip.Create(dir);
        var path = Path.Combine(dir, "artifact.zip");
        await File.WriteAllBytesAsync(path, zip);
        var put = await AwsCli.RunAsync(Moto, ["s3api", "put-object", "--bucket", SandboxAws.ArtifactBucket, "--key", key, "--body", path]);
        Assert.True(put.ExitCode == 0, put.ToString());
        return DeterministicZip.Sha256Hex(zip);
    }

    /// <summary>The example's shop handlers with a marker, so a second version has different code.</summary>
    public static IReadOnlyDictionary<string, string> ShopFiles(string marker)
    {
        var root = Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "artifacts", "shop");
        return Directory.EnumerateFiles(root).ToDictionary(
            f => Path.GetFileName(f),
            f => File.ReadAllText(f) + (f.EndsWith(".js", StringComparison.Ordinal) ? $"\n// {marker}\n" : string.Empty));
    }

    /// <summary>The operator's recent output (all runs), for failure messages.</summary>
    public string Diagnostics() =>
        string.Join("\n--- operator restarted ---\n", _previousOutput.Select(o => o.Length > 1500 ? o[^1500..] : o).Append(Operator?.Output ?? string.Empty))
        + "\nAWS calls: " + string.Join(", ", Proxy.Engine.Stats.RequestsByOperation.OrderByDescending(p => p.Value).Take(30).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));

    public async ValueTask DisposeAsync()
    {
        if (Operator is not null)
        {
            await Operator.DisposeAsync();
        }

        await Proxy.DisposeAsync();
    }
}
