using System.Security.Cryptography;
using System.Text;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The identity of a deployment: <c>{version}+{first 12 hex of the artifact SHA-256}</c>, e.g. <c>1.0.0+7cf8e8638862</c>.
/// A change of either deploys new code and rotates the API keys; the value is recorded on the API-key Secret.
/// </summary>
internal static class DeploymentIds
{
    public static string For(string version, string? artifactSha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        var artifact = string.IsNullOrEmpty(artifactSha256)
            ? "noartifact"
            : artifactSha256.Length >= 12 ? artifactSha256[..12] : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(artifactSha256)))[..12];
        return $"{version}+{artifact}";
    }
}
