namespace OpenKbs.Api;

/// <summary>
/// Keys of the labels the operator puts on Kubernetes objects it creates (e.g. API-key Secrets) and of the tags it
/// puts on every AWS resource: ownership checks, adoption, cost allocation.
/// </summary>
public static class Labels
{
    /// <summary>Who manages the resource; value <see cref="ManagedByValue"/>.</summary>
    public const string ManagedBy = "openkbs.com/managed-by";

    /// <summary>The value of <see cref="ManagedBy"/>.</summary>
    public const string ManagedByValue = "openkbs-operator";

    /// <summary>The owning object as <c>namespace/Kind/name</c> (AWS tags only: label values cannot hold '/').</summary>
    public const string Owner = "openkbs.com/owner";

    /// <summary>The owning object's metadata.uid.</summary>
    public const string Uid = "openkbs.com/uid";

    /// <summary>The owning object's namespace.</summary>
    public const string Namespace = "openkbs.com/namespace";

    /// <summary>Set (to the UTC time, RFC 3339) on AWS resources left in place by a Retain deletion.</summary>
    public const string Released = "openkbs.com/released";

    /// <summary>The <see cref="Owner"/> value of an object.</summary>
    public static string OwnerValue(string @namespace, string kind, string name) => $"{@namespace}/{kind}/{name}";
}
