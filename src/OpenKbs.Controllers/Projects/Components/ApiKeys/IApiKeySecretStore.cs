using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>Reads and writes the API-key Secret of a Project (Kubernetes in production, in memory in step tests).</summary>
internal interface IApiKeySecretStore
{
    /// <summary>The Secret as the API server has it now, or null.</summary>
    Task<ApiKeySecret?> ReadAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Creates (no <see cref="ApiKeySecret.ResourceVersion"/>) or replaces (with it as precondition) the Secret, owned by
    /// <paramref name="owner"/>. Returns the Secret as written.
    /// </summary>
    /// <exception cref="Runtime.StatusConflictException">It changed since it was read (409): nothing was written.</exception>
    Task<ApiKeySecret> WriteAsync(string @namespace, ApiKeySecret secret, Project owner, CancellationToken cancellationToken);
}
