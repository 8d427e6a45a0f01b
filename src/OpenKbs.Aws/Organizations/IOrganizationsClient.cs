using OpenKbs.Aws.Organizations.Model;

namespace OpenKbs.Aws.Organizations;

/// <summary>
/// AWS Organizations (awsJson1_1, global, signed us-east-1), only the operations the controllers need. Names and shapes follow
/// the official AWSSDK.Organizations client so an adapter over it can replace the hand-written implementation (docs/aws.md).
/// List operations follow every page. Failures throw <see cref="Core.AwsServiceException"/>.
/// </summary>
public interface IOrganizationsClient
{
    /// <summary>Creates the organization (management account only; once).</summary>
    Task<CreateOrganizationResponse> CreateOrganizationAsync(CreateOrganizationRequest request, CancellationToken cancellationToken = default);

    /// <summary>The organization; NotFound (AWSOrganizationsNotInUseException) when the account is in none.</summary>
    Task<DescribeOrganizationResponse> DescribeOrganizationAsync(DescribeOrganizationRequest request, CancellationToken cancellationToken = default);

    /// <summary>All roots (there is one).</summary>
    Task<ListRootsResponse> ListRootsAsync(ListRootsRequest request, CancellationToken cancellationToken = default);

    /// <summary>All member accounts, every page.</summary>
    Task<ListAccountsResponse> ListAccountsAsync(ListAccountsRequest request, CancellationToken cancellationToken = default);

    /// <summary>One account.</summary>
    Task<DescribeAccountResponse> DescribeAccountAsync(DescribeAccountRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts an account creation (asynchronous, not idempotent: never retried on 5xx or timeouts).</summary>
    Task<CreateAccountResponse> CreateAccountAsync(CreateAccountRequest request, CancellationToken cancellationToken = default);

    /// <summary>The state of a create-account request.</summary>
    Task<DescribeCreateAccountStatusResponse> DescribeCreateAccountStatusAsync(DescribeCreateAccountStatusRequest request, CancellationToken cancellationToken = default);

    /// <summary>Create-account requests, e.g. those IN_PROGRESS.</summary>
    Task<ListCreateAccountStatusResponse> ListCreateAccountStatusAsync(ListCreateAccountStatusRequest request, CancellationToken cancellationToken = default);

    /// <summary>The OUs under a root or OU.</summary>
    Task<ListOrganizationalUnitsForParentResponse> ListOrganizationalUnitsForParentAsync(ListOrganizationalUnitsForParentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates an OU (DuplicateOrganizationalUnitException if the name exists).</summary>
    Task<CreateOrganizationalUnitResponse> CreateOrganizationalUnitAsync(CreateOrganizationalUnitRequest request, CancellationToken cancellationToken = default);

    /// <summary>The parent of an account or OU.</summary>
    Task<ListParentsResponse> ListParentsAsync(ListParentsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Moves an account between parents.</summary>
    Task<MoveAccountResponse> MoveAccountAsync(MoveAccountRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates a policy (e.g. an SCP).</summary>
    Task<CreatePolicyResponse> CreatePolicyAsync(CreatePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>All policies of a type.</summary>
    Task<ListPoliciesResponse> ListPoliciesAsync(ListPoliciesRequest request, CancellationToken cancellationToken = default);

    /// <summary>One policy with its content.</summary>
    Task<DescribePolicyResponse> DescribePolicyAsync(DescribePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Updates name, description or content of a policy.</summary>
    Task<UpdatePolicyResponse> UpdatePolicyAsync(UpdatePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Attaches a policy to a root, OU or account.</summary>
    Task<AttachPolicyResponse> AttachPolicyAsync(AttachPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Detaches a policy.</summary>
    Task<DetachPolicyResponse> DetachPolicyAsync(DetachPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>The policies of a type attached to a target.</summary>
    Task<ListPoliciesForTargetResponse> ListPoliciesForTargetAsync(ListPoliciesForTargetRequest request, CancellationToken cancellationToken = default);

    /// <summary>The targets a policy is attached to.</summary>
    Task<ListTargetsForPolicyResponse> ListTargetsForPolicyAsync(ListTargetsForPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Enables a policy type on a root (needed before attaching SCPs).</summary>
    Task<EnablePolicyTypeResponse> EnablePolicyTypeAsync(EnablePolicyTypeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or overwrites tags.</summary>
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags.</summary>
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>All tags of a resource.</summary>
    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Closes a member account (asynchronous, quota-bound).</summary>
    Task<CloseAccountResponse> CloseAccountAsync(CloseAccountRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes a member account (rarely possible for created accounts, see docs/aws.md).</summary>
    Task<RemoveAccountFromOrganizationResponse> RemoveAccountFromOrganizationAsync(RemoveAccountFromOrganizationRequest request, CancellationToken cancellationToken = default);
}
