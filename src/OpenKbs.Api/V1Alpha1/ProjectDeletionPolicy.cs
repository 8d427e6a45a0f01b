namespace OpenKbs.Api.V1Alpha1;

/// <summary>What deleting a Project does to its AWS resources.</summary>
public enum ProjectDeletionPolicy
{
    /// <summary>Leave every AWS resource in place, tagged <c>openkbs.com/released</c>.</summary>
    Retain,

    /// <summary>Remove what holds no data; keep data (final database snapshot, non-empty bucket).</summary>
    Delete,
}
