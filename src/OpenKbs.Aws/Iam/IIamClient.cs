using OpenKbs.Aws.Iam.Model;

namespace OpenKbs.Aws.Iam;

/// <summary>
/// IAM (awsQuery, global, signed us-east-1): the role operations a Project needs. Names and shapes follow the official
/// AWSSDK.IdentityManagement client (docs/aws.md, the official-package debt). List operations follow every page.
/// </summary>
public interface IIamClient
{
    /// <summary>Creates a role (EntityAlreadyExists → Conflict).</summary>
    Task<CreateRoleResponse> CreateRoleAsync(CreateRoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>One role; AssumeRolePolicyDocument URL-decoded.</summary>
    Task<GetRoleResponse> GetRoleAsync(GetRoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces the trust policy.</summary>
    Task<UpdateAssumeRolePolicyResponse> UpdateAssumeRolePolicyAsync(UpdateAssumeRolePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a role (no cascade: DeleteConflict while policies remain).</summary>
    Task<DeleteRoleResponse> DeleteRoleAsync(DeleteRoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces an inline policy.</summary>
    Task<PutRolePolicyResponse> PutRolePolicyAsync(PutRolePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>One inline policy; PolicyDocument URL-decoded.</summary>
    Task<GetRolePolicyResponse> GetRolePolicyAsync(GetRolePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes an inline policy.</summary>
    Task<DeleteRolePolicyResponse> DeleteRolePolicyAsync(DeleteRolePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>All inline policy names.</summary>
    Task<ListRolePoliciesResponse> ListRolePoliciesAsync(ListRolePoliciesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or overwrites tags.</summary>
    Task<TagRoleResponse> TagRoleAsync(TagRoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags.</summary>
    Task<UntagRoleResponse> UntagRoleAsync(UntagRoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>All tags of a role.</summary>
    Task<ListRoleTagsResponse> ListRoleTagsAsync(ListRoleTagsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Attaches a managed policy.</summary>
    Task<AttachRolePolicyResponse> AttachRolePolicyAsync(AttachRolePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Detaches a managed policy.</summary>
    Task<DetachRolePolicyResponse> DetachRolePolicyAsync(DetachRolePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>All attached managed policies.</summary>
    Task<ListAttachedRolePoliciesResponse> ListAttachedRolePoliciesAsync(ListAttachedRolePoliciesRequest request, CancellationToken cancellationToken = default);

    /// <summary>One managed policy (its default version id, not its document).</summary>
    Task<GetPolicyResponse> GetPolicyAsync(GetPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>One version of a managed policy; Document URL-decoded.</summary>
    Task<GetPolicyVersionResponse> GetPolicyVersionAsync(GetPolicyVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every role of the account (all pages), each AssumeRolePolicyDocument URL-decoded; AWS returns no tags here (ListRoleTags).</summary>
    Task<ListRolesResponse> ListRolesAsync(ListRolesRequest request, CancellationToken cancellationToken = default);
}
