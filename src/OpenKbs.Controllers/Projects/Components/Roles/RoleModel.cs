using OpenKbs.Aws.Iam.Model;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Roles;

/// <summary>
/// An IAM role a Project component owns (the functions' execution role, the scheduler role): its trust, its one inline
/// policy and its owner tags. With <see cref="OnlyThisPolicy"/>, other inline policies and attached managed policies found
/// on it are drift too (least privilege is corrected, not just reported).
/// </summary>
internal sealed record RoleDesired(
    string Name,
    string Description,
    string Trust,
    string PolicyName,
    string Policy,
    IReadOnlyDictionary<string, string> OwnerTags,
    bool OnlyThisPolicy);

/// <summary>The role as IAM reports it (the manager's reads): the role, its tags, the inline policy, and what else is on it.</summary>
internal sealed record RoleObservation(
    Role Role,
    IReadOnlyList<Tag> Tags,
    string? Policy,
    IReadOnlyList<string> InlinePolicyNames,
    IReadOnlyList<AttachedPolicy> AttachedPolicies)
{
    /// <summary>The owner named by a uid tag that is not <paramref name="uid"/>, or null when the role is ours or untagged.</summary>
    public string? OwnerOtherThan(string? uid) =>
        OwnershipTags.ForeignOwner(Tags.Pairs(), uid);
}

/// <summary>What differs between a <see cref="RoleDesired"/> and a <see cref="RoleObservation"/> (pure; see <see cref="Between"/>).</summary>
internal sealed record RoleDelta
{
    public bool Trust { get; private init; }

    public bool Policy { get; private init; }

    public IReadOnlyList<string> InlinePoliciesToRemove { get; private init; } = [];

    public IReadOnlyList<AttachedPolicy> PoliciesToDetach { get; private init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> MissingTags { get; private init; } = [];

    /// <summary>The role carries <c>openkbs.com/released</c> (adopted again after a Retain deletion): the tag goes.</summary>
    public bool Unrelease { get; private init; }

    public bool IsEmpty => !Trust && !Policy && InlinePoliciesToRemove.Count == 0 && PoliciesToDetach.Count == 0 && MissingTags.Count == 0 && !Unrelease;

    /// <summary>The permission changes, for events ("trust policy", "permissions", "inline policy X removed", ...); tags are not listed.</summary>
    public IReadOnlyList<string> Changes =>
    [
        .. Trust ? ["trust policy"] : Array.Empty<string>(),
        .. Policy ? ["permissions"] : Array.Empty<string>(),
        .. InlinePoliciesToRemove.Select(n => $"inline policy {n} removed"),
        .. PoliciesToDetach.Select(p => $"managed policy {p.PolicyName} detached"),
    ];

    public static RoleDelta Between(RoleDesired desired, RoleObservation observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var tags = observed.Tags.Pairs();
        return new RoleDelta
        {
            Trust = !PolicyDocuments.Equivalent(observed.Role.AssumeRolePolicyDocument, desired.Trust),
            Policy = !PolicyDocuments.Equivalent(observed.Policy, desired.Policy),
            InlinePoliciesToRemove = desired.OnlyThisPolicy ? [.. observed.InlinePolicyNames.Where(n => n != desired.PolicyName)] : [],
            PoliciesToDetach = desired.OnlyThisPolicy ? observed.AttachedPolicies : [],
            MissingTags = OwnershipTags.Missing(desired.OwnerTags, tags),
            Unrelease = OwnershipTags.IsReleased(tags),
        };
    }
}
