using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.Iam.Model;

namespace OpenKbs.Controllers.Projects.Components.Roles;

/// <summary>
/// Observes and applies the IAM roles of Project components (ACK's "sdk" layer for roles): no decisions, no events, no
/// status. A drift check of an unchanged role costs two reads (GetRole, GetRolePolicy; ListRoleTags only when GetRole
/// returns no tags), four with <see cref="RoleDesired.OnlyThisPolicy"/> (ListRolePolicies, ListAttachedRolePolicies).
/// </summary>
internal sealed class RoleManager(IIamClient iam)
{
    /// <summary>The role, or null when there is none.</summary>
    public async Task<Role?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await iam.GetRoleAsync(new GetRoleRequest { RoleName = name }, cancellationToken)).Role;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the role with its trust and owner tags; an earlier pass's role (its answer was lost) is returned as is.</summary>
    public async Task<Role> CreateAsync(RoleDesired desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        try
        {
            return (await iam.CreateRoleAsync(
                new CreateRoleRequest
                {
                    RoleName = desired.Name,
                    AssumeRolePolicyDocument = desired.Trust,
                    Description = desired.Description,
                    Tags = [.. desired.OwnerTags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
                },
                cancellationToken)).Role!;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.EntityAlreadyExists)
        {
            return (await iam.GetRoleAsync(new GetRoleRequest { RoleName = desired.Name }, cancellationToken)).Role!;
        }
    }

    public async Task<IReadOnlyList<Tag>> TagsAsync(Role role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return role.Tags ?? (await iam.ListRoleTagsAsync(new ListRoleTagsRequest { RoleName = role.RoleName! }, cancellationToken)).Tags;
    }

    /// <summary>Everything <see cref="RoleDelta.Between"/> compares.</summary>
    public async Task<RoleObservation> ObserveAsync(Role role, RoleDesired desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(desired);
        var tags = await TagsAsync(role, cancellationToken);
        string? policy = null;
        try
        {
            policy = (await iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = desired.Name, PolicyName = desired.PolicyName }, cancellationToken)).PolicyDocument;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        if (!desired.OnlyThisPolicy)
        {
            return new RoleObservation(role, tags, policy, [], []);
        }

        return new RoleObservation(
            role,
            tags,
            policy,
            (await iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = desired.Name }, cancellationToken)).PolicyNames,
            (await iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = desired.Name }, cancellationToken)).AttachedPolicies);
    }

    /// <summary>Writes what <paramref name="delta"/> names: trust, the inline policy, removals and detachments, then tags.</summary>
    public async Task ApplyAsync(RoleDesired desired, RoleDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(delta);
        var name = desired.Name;
        if (delta.Trust)
        {
            await iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest { RoleName = name, PolicyDocument = desired.Trust }, cancellationToken);
        }

        if (delta.Policy)
        {
            await iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = name, PolicyName = desired.PolicyName, PolicyDocument = desired.Policy }, cancellationToken);
        }

        foreach (var extra in delta.InlinePoliciesToRemove)
        {
            await iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = name, PolicyName = extra }, cancellationToken);
        }

        foreach (var attached in delta.PoliciesToDetach)
        {
            await iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = name, PolicyArn = attached.PolicyArn! }, cancellationToken);
        }

        if (delta.MissingTags.Count > 0)
        {
            await iam.TagRoleAsync(new TagRoleRequest { RoleName = name, Tags = [.. delta.MissingTags.Select(t => new Tag { Key = t.Key, Value = t.Value })] }, cancellationToken);
        }

        if (delta.Unrelease)
        {
            await iam.UntagRoleAsync(new UntagRoleRequest { RoleName = name, TagKeys = [OpenKbs.Api.Labels.Released] }, cancellationToken);
        }
    }

    public Task TagAsync(string name, string key, string value, CancellationToken cancellationToken) =>
        iam.TagRoleAsync(new TagRoleRequest { RoleName = name, Tags = [new Tag { Key = key, Value = value }] }, cancellationToken);

    /// <summary>Deletes the role; IAM does not cascade, so its inline policies go and its managed policies are detached first.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var policy in (await iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = name }, cancellationToken)).PolicyNames)
        {
            await iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = name, PolicyName = policy }, cancellationToken);
        }

        foreach (var attached in (await iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = name }, cancellationToken)).AttachedPolicies)
        {
            await iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = name, PolicyArn = attached.PolicyArn! }, cancellationToken);
        }

        await iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = name }, cancellationToken);
    }
}
