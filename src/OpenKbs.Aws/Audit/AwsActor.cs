namespace OpenKbs.Aws.Audit;

/// <summary>Who causes AWS calls: the controller and the owning Kubernetes resource. Passed to the client factory; recorded in every audit record.</summary>
public sealed record AwsActor
{
    /// <summary>The controller acting, e.g. <c>ClientAccount</c>, <c>Project</c>.</summary>
    public required string Controller { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The kind of the owning resource.</summary>
    public required string Kind { get; init; }

    public required string Name { get; init; }

    /// <summary>The owning resource's uid, when known.</summary>
    public string? Uid { get; init; }

    /// <summary>
    /// The field manager that last changed the owning object's spec (from <c>metadata.managedFields</c>), e.g. <c>kubectl-client-side-apply</c>.
    /// Kubernetes records managers, not users, in the object: the authenticated user is in the API server's audit log at <see cref="SpecChangedAt"/>.
    /// </summary>
    public string? SpecManager { get; init; }

    /// <summary>When <see cref="SpecManager"/> last changed the spec.</summary>
    public DateTimeOffset? SpecChangedAt { get; init; }

    /// <summary><c>namespace/kind/name</c>, the value of the <c>openkbs.com/owner</c> tag.</summary>
    public string Owner => $"{Namespace}/{Kind}/{Name}";

    /// <summary>An actor for calls the operator makes on its own behalf (startup checks, tests).</summary>
    public static AwsActor System(string controller) => new() { Controller = controller, Namespace = "-", Kind = "Operator", Name = "openkbs" };
}
