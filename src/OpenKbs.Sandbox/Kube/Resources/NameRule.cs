namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>How metadata.name is validated for a kind.</summary>
internal enum NameRule
{
    /// <summary>RFC 1123 subdomain (most kinds).</summary>
    Subdomain,

    /// <summary>RFC 1123 label (namespaces).</summary>
    Label,

    /// <summary>Path segment only (events): anything without '/' or '%', not "." or "..".</summary>
    PathSegment,
}
