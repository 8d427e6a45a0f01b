using OpenKbs.Sandbox.Kube;
using OpenKbs.Sandbox.Kube.Auth;
using OpenKbs.Testing;

namespace OpenKbs.EndToEnd.Tests.Rbac;

/// <summary>
/// The sandbox API server with the repository's CRDs, authentication and RBAC on: the operator's service account
/// (openkbs-system/openkbs-operator, as the chart and config/ name it) has a token; the fixture's own client and
/// kubeconfig are the admin (system:masters).
/// </summary>
public sealed class RbacSandboxFixture : SandboxFixture
{
    public const string SystemNamespace = "openkbs-system";
    public const string OperatorToken = "openkbs-operator-token";

    public static SandboxUser Operator { get; } = SandboxUser.ServiceAccount(SystemNamespace, "openkbs-operator");

    protected override KubeApiServerOptions Options => base.Options with
    {
        Auth = new SandboxAuthOptions { Tokens = new Dictionary<string, SandboxUser> { [OperatorToken] = Operator } },
    };

    protected override IEnumerable<string> CrdDirectories => [RepositoryCrdsDirectory];

    public SandboxAuthorization Authorization => Server.Authorization!;

    /// <summary>A kubeconfig whose user is the operator's service account.</summary>
    public string OperatorKubeconfig() => Server.WriteKubeconfig(Path.Combine(WorkDirectory, "operator.kubeconfig"), "openkbs-operator", OperatorToken);
}
