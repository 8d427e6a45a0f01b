using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Resilience;

namespace OpenKbs.Aws.Organizations;

/// <summary>The hand-written Organizations client (awsJson1_1 over the shared pipeline). Mutating operations are declared below.</summary>
// guardedArns also name the ids a request acts on (accounts, OUs, roots, policies): the EU guard skips what is not an ARN, and
// call observers see them as the call's targets (the tests judge management calls by resource with them).
internal sealed class OrganizationsClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), IOrganizationsClient
{
    private static readonly AwsService Service = AwsServices.Organizations;

    // Dependent action: creating an account, OU or policy with tags needs organizations:TagResource.
    internal static readonly AwsOperation CreateOrganization = AwsOperation.Write(Service, nameof(CreateOrganization));
    internal static readonly AwsOperation DescribeOrganization = AwsOperation.Read(Service, nameof(DescribeOrganization));
    internal static readonly AwsOperation ListRoots = AwsOperation.Read(Service, nameof(ListRoots));
    internal static readonly AwsOperation ListAccounts = AwsOperation.Read(Service, nameof(ListAccounts));
    internal static readonly AwsOperation DescribeAccount = AwsOperation.Read(Service, nameof(DescribeAccount));
    internal static readonly AwsOperation CreateAccount = AwsOperation.Write(Service, nameof(CreateAccount), AwsRetryMode.ThrottlingOnly, family: "CreateAccount") with { Iam = ["organizations:CreateAccount", "organizations:TagResource"] };
    internal static readonly AwsOperation DescribeCreateAccountStatus = AwsOperation.Read(Service, nameof(DescribeCreateAccountStatus));
    internal static readonly AwsOperation ListCreateAccountStatus = AwsOperation.Read(Service, nameof(ListCreateAccountStatus));
    internal static readonly AwsOperation ListOrganizationalUnitsForParent = AwsOperation.Read(Service, nameof(ListOrganizationalUnitsForParent));
    internal static readonly AwsOperation CreateOrganizationalUnit = AwsOperation.Write(Service, nameof(CreateOrganizationalUnit)) with { Iam = ["organizations:CreateOrganizationalUnit", "organizations:TagResource"] };
    internal static readonly AwsOperation ListParents = AwsOperation.Read(Service, nameof(ListParents));
    internal static readonly AwsOperation MoveAccount = AwsOperation.Write(Service, nameof(MoveAccount));
    internal static readonly AwsOperation CreatePolicy = AwsOperation.Write(Service, nameof(CreatePolicy)) with { Iam = ["organizations:CreatePolicy", "organizations:TagResource"] };
    internal static readonly AwsOperation ListPolicies = AwsOperation.Read(Service, nameof(ListPolicies));
    internal static readonly AwsOperation DescribePolicy = AwsOperation.Read(Service, nameof(DescribePolicy));
    internal static readonly AwsOperation UpdatePolicy = AwsOperation.Write(Service, nameof(UpdatePolicy));
    internal static readonly AwsOperation AttachPolicy = AwsOperation.Write(Service, nameof(AttachPolicy));
    internal static readonly AwsOperation DetachPolicy = AwsOperation.Write(Service, nameof(DetachPolicy));
    internal static readonly AwsOperation ListPoliciesForTarget = AwsOperation.Read(Service, nameof(ListPoliciesForTarget));
    internal static readonly AwsOperation ListTargetsForPolicy = AwsOperation.Read(Service, nameof(ListTargetsForPolicy));
    internal static readonly AwsOperation EnablePolicyType = AwsOperation.Write(Service, nameof(EnablePolicyType));
    internal static readonly AwsOperation TagResource = AwsOperation.Write(Service, nameof(TagResource));
    internal static readonly AwsOperation UntagResource = AwsOperation.Write(Service, nameof(UntagResource));
    internal static readonly AwsOperation ListTagsForResource = AwsOperation.Read(Service, nameof(ListTagsForResource));
    internal static readonly AwsOperation CloseAccount = AwsOperation.Write(Service, nameof(CloseAccount));
    internal static readonly AwsOperation RemoveAccountFromOrganization = AwsOperation.Write(Service, nameof(RemoveAccountFromOrganization));

    public Task<CreateOrganizationResponse> CreateOrganizationAsync(CreateOrganizationRequest request, CancellationToken cancellationToken = default) =>
        JsonAsync<CreateOrganizationResponse>(
            CreateOrganization,
            request,
            Audit(resource: null, d => d.Add("FeatureSet", request.FeatureSet)),
            cancellationToken,
            r => r.Organization?.Arn);

    public Task<DescribeOrganizationResponse> DescribeOrganizationAsync(DescribeOrganizationRequest request, CancellationToken cancellationToken = default) =>
        JsonAsync<DescribeOrganizationResponse>(DescribeOrganization, request, null, cancellationToken);

    public async Task<ListRootsResponse> ListRootsAsync(ListRootsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListRoots.Name,
            token => JsonAsync<ListRootsResponse>(ListRoots, request with { NextToken = token }, null, cancellationToken),
            page => page.Roots,
            page => page.NextToken);
        return new ListRootsResponse { Roots = all };
    }

    public async Task<ListAccountsResponse> ListAccountsAsync(ListAccountsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListAccounts.Name,
            token => JsonAsync<ListAccountsResponse>(ListAccounts, request with { NextToken = token }, null, cancellationToken),
            page => page.Accounts,
            page => page.NextToken);
        return new ListAccountsResponse { Accounts = all };
    }

    public Task<DescribeAccountResponse> DescribeAccountAsync(DescribeAccountRequest request, CancellationToken cancellationToken = default) =>
        JsonAsync<DescribeAccountResponse>(DescribeAccount, request, null, cancellationToken, guardedArns: [request?.AccountId]);

    public Task<CreateAccountResponse> CreateAccountAsync(CreateAccountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<CreateAccountResponse>(
            CreateAccount,
            request,
            Audit(
                resource: null,
                d => d.Add("AccountName", request.AccountName)
                    .Add("Email", request.Email)
                    .Add("RoleName", request.RoleName)
                    .Add("IamUserAccessToBilling", request.IamUserAccessToBilling)
                    .Add("TagKeys", request.Tags?.Select(t => t.Key))),
            cancellationToken,
            r => r.CreateAccountStatus?.Id);
    }

    public Task<DescribeCreateAccountStatusResponse> DescribeCreateAccountStatusAsync(DescribeCreateAccountStatusRequest request, CancellationToken cancellationToken = default) =>
        JsonAsync<DescribeCreateAccountStatusResponse>(DescribeCreateAccountStatus, request, null, cancellationToken);

    public async Task<ListCreateAccountStatusResponse> ListCreateAccountStatusAsync(ListCreateAccountStatusRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListCreateAccountStatus.Name,
            token => JsonAsync<ListCreateAccountStatusResponse>(ListCreateAccountStatus, request with { NextToken = token }, null, cancellationToken),
            page => page.CreateAccountStatuses,
            page => page.NextToken);
        return new ListCreateAccountStatusResponse { CreateAccountStatuses = all };
    }

    public async Task<ListOrganizationalUnitsForParentResponse> ListOrganizationalUnitsForParentAsync(
        ListOrganizationalUnitsForParentRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListOrganizationalUnitsForParent.Name,
            token => JsonAsync<ListOrganizationalUnitsForParentResponse>(ListOrganizationalUnitsForParent, request with { NextToken = token }, null, cancellationToken, guardedArns: [request.ParentId]),
            page => page.OrganizationalUnits,
            page => page.NextToken);
        return new ListOrganizationalUnitsForParentResponse { OrganizationalUnits = all };
    }

    public Task<CreateOrganizationalUnitResponse> CreateOrganizationalUnitAsync(CreateOrganizationalUnitRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<CreateOrganizationalUnitResponse>(
            CreateOrganizationalUnit,
            request,
            Audit(request.ParentId, d => d.Add("ParentId", request.ParentId).Add("Name", request.Name).Add("TagKeys", request.Tags?.Select(t => t.Key))),
            cancellationToken,
            r => r.OrganizationalUnit?.Id,
            [request.ParentId]);
    }

    public async Task<ListParentsResponse> ListParentsAsync(ListParentsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListParents.Name,
            token => JsonAsync<ListParentsResponse>(ListParents, request with { NextToken = token }, null, cancellationToken, guardedArns: [request.ChildId]),
            page => page.Parents,
            page => page.NextToken);
        return new ListParentsResponse { Parents = all };
    }

    public Task<MoveAccountResponse> MoveAccountAsync(MoveAccountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<MoveAccountResponse>(
            MoveAccount,
            request,
            Audit(request.AccountId, d => d.Add("SourceParentId", request.SourceParentId).Add("DestinationParentId", request.DestinationParentId)),
            cancellationToken,
            guardedArns: [request.AccountId, request.SourceParentId, request.DestinationParentId]);
    }

    public Task<CreatePolicyResponse> CreatePolicyAsync(CreatePolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<CreatePolicyResponse>(
            CreatePolicy,
            request,
            Audit(
                resource: null,
                d => d.Add("Name", request.Name).Add("Type", request.Type).Add("Description", request.Description)
                    .AddDigest("Content", request.Content).Add("TagKeys", request.Tags?.Select(t => t.Key))),
            cancellationToken,
            r => r.Policy?.PolicySummary?.Id);
    }

    public async Task<ListPoliciesResponse> ListPoliciesAsync(ListPoliciesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListPolicies.Name,
            token => JsonAsync<ListPoliciesResponse>(ListPolicies, request with { NextToken = token }, null, cancellationToken),
            page => page.Policies,
            page => page.NextToken);
        return new ListPoliciesResponse { Policies = all };
    }

    public Task<DescribePolicyResponse> DescribePolicyAsync(DescribePolicyRequest request, CancellationToken cancellationToken = default) =>
        JsonAsync<DescribePolicyResponse>(DescribePolicy, request, null, cancellationToken, guardedArns: [request?.PolicyId]);

    public Task<UpdatePolicyResponse> UpdatePolicyAsync(UpdatePolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<UpdatePolicyResponse>(
            UpdatePolicy,
            request,
            Audit(request.PolicyId, d => d.Add("Name", request.Name).Add("Description", request.Description).AddDigest("Content", request.Content)),
            cancellationToken,
            guardedArns: [request.PolicyId]);
    }

    public Task<AttachPolicyResponse> AttachPolicyAsync(AttachPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<AttachPolicyResponse>(
            AttachPolicy,
            request,
            Audit(request.PolicyId, d => d.Add("TargetId", request.TargetId)),
            cancellationToken,
            guardedArns: [request.PolicyId, request.TargetId]);
    }

    public Task<DetachPolicyResponse> DetachPolicyAsync(DetachPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<DetachPolicyResponse>(
            DetachPolicy,
            request,
            Audit(request.PolicyId, d => d.Add("TargetId", request.TargetId)),
            cancellationToken,
            guardedArns: [request.PolicyId, request.TargetId]);
    }

    public async Task<ListPoliciesForTargetResponse> ListPoliciesForTargetAsync(ListPoliciesForTargetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListPoliciesForTarget.Name,
            token => JsonAsync<ListPoliciesForTargetResponse>(ListPoliciesForTarget, request with { NextToken = token }, null, cancellationToken, guardedArns: [request.TargetId]),
            page => page.Policies,
            page => page.NextToken);
        return new ListPoliciesForTargetResponse { Policies = all };
    }

    public async Task<ListTargetsForPolicyResponse> ListTargetsForPolicyAsync(ListTargetsForPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListTargetsForPolicy.Name,
            token => JsonAsync<ListTargetsForPolicyResponse>(ListTargetsForPolicy, request with { NextToken = token }, null, cancellationToken, guardedArns: [request.PolicyId]),
            page => page.Targets,
            page => page.NextToken);
        return new ListTargetsForPolicyResponse { Targets = all };
    }

    public Task<EnablePolicyTypeResponse> EnablePolicyTypeAsync(EnablePolicyTypeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<EnablePolicyTypeResponse>(
            EnablePolicyType,
            request,
            Audit(request.RootId, d => d.Add("PolicyType", request.PolicyType)),
            cancellationToken,
            guardedArns: [request.RootId]);
    }

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<TagResourceResponse>(
            TagResource,
            request,
            Audit(request.ResourceId, d => d.Add("Tags", request.Tags.Select(t => $"{t.Key}={t.Value}"))),
            cancellationToken,
            guardedArns: [request.ResourceId]);
    }

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<UntagResourceResponse>(
            UntagResource,
            request,
            Audit(request.ResourceId, d => d.Add("TagKeys", request.TagKeys)),
            cancellationToken,
            guardedArns: [request.ResourceId]);
    }

    public async Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListTagsForResource.Name,
            token => JsonAsync<ListTagsForResourceResponse>(ListTagsForResource, request with { NextToken = token }, null, cancellationToken, guardedArns: [request.ResourceId]),
            page => page.Tags,
            page => page.NextToken);
        return new ListTagsForResourceResponse { Tags = all };
    }

    public Task<CloseAccountResponse> CloseAccountAsync(CloseAccountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<CloseAccountResponse>(CloseAccount, request, Audit(request.AccountId), cancellationToken, guardedArns: [request.AccountId]);
    }

    public Task<RemoveAccountFromOrganizationResponse> RemoveAccountFromOrganizationAsync(
        RemoveAccountFromOrganizationRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonAsync<RemoveAccountFromOrganizationResponse>(RemoveAccountFromOrganization, request, Audit(request.AccountId), cancellationToken, guardedArns: [request.AccountId]);
    }
}
