using k8s;
using OpenKbs.Sandbox.Kube;
using OpenKbs.Sandbox.Kube.Auth;
using OpenKbs.Testing;
using OpenKbs.Testing.Kubectl;

namespace OpenKbs.Sandbox.Tests.Auth;

/// <summary>A sandbox with authentication and RBAC on: alice (group devs), bob, and service account ops/op have tokens; the fixture's own client is the admin.</summary>
public sealed class RbacSandboxFixture : SandboxFixture
{
    public const string AliceToken = "alice-token";
    public const string BobToken = "bob-token";
    public const string OperatorToken = "op-token";

    public static SandboxUser Alice { get; } = SandboxUser.User("alice", "devs");

    public static SandboxUser Bob { get; } = SandboxUser.User("bob");

    public static SandboxUser Operator { get; } = SandboxUser.ServiceAccount("ops", "op");

    protected override KubeApiServerOptions Options => base.Options with
    {
        Auth = new SandboxAuthOptions
        {
            Tokens = new Dictionary<string, SandboxUser> { [AliceToken] = Alice, [BobToken] = Bob, [OperatorToken] = Operator },
        },
    };

    public SandboxAuthorization Authorization => Server.Authorization!;

    /// <summary>A KubernetesClient that authenticates with <paramref name="token"/>.</summary>
    public Kubernetes ClientFor(string token) => new(Server.ClientConfiguration(token));

    /// <summary>An HttpClient for raw requests that trusts the server's self-signed certificate (and nothing else).</summary>
    public HttpClient RawHttp()
    {
        var certificate = Server.Certificate!;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();
        return new HttpClient(handler) { BaseAddress = Server.Url };
    }

    /// <summary>kubectl with a kubeconfig whose user carries <paramref name="token"/>.</summary>
    public KubectlRunner KubectlAs(string token)
    {
        var path = Server.WriteKubeconfig(Path.Combine(WorkDirectory, "kubeconfig-" + token), "openkbs-sandbox", token);
        return new KubectlRunner(path, Path.Combine(WorkDirectory, "kubectl-cache-" + token));
    }
}
