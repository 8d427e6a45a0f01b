namespace OpenKbs.Controllers.Projects;

/// <summary>
/// A fact (<see cref="Shared.Recipes.Facts"/>) that carries sensitive values the functions need, by environment variable name
/// (e.g. <c>OPENKBS_API_KEYS</c>, <c>OPENKBS_DATABASE</c>). The functions step gathers every contribution of the pass, seals each
/// payload with the project key (KMS envelope, AES-256-GCM, encryption context <c>EnvelopeContext.ForOwner(namespace, "Project",
/// name, uid, NAME)</c>) and sets <c>NAME</c> to the envelope and <c>NAME_DIGEST</c> to a SHA-256 over uid, name and payload, so
/// drift checks compare digests and never re-encrypt an unchanged value. Payloads must be deterministic bytes.
/// </summary>
internal interface IFunctionSettingsContribution
{
    IReadOnlyDictionary<string, byte[]> SealedSettings { get; }
}

/// <summary>
/// A fact that carries extra IAM statements (JSON objects) the execution role needs for a component of the project (e.g.
/// reading the database's AWS-managed secret). Least privilege: name exact resources. The execution-role step gathers them.
/// </summary>
internal interface IExecutionRoleContribution
{
    IReadOnlyList<string> RoleStatements { get; }
}
