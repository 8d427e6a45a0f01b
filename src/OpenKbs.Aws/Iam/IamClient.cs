using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.Iam;

/// <summary>The hand-written IAM client (awsQuery over the shared pipeline). Mutating operations are declared below.</summary>
internal sealed class IamClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), IIamClient
{
    private static readonly AwsService Service = AwsServices.Iam;

    // Dependent action: a role created with tags needs iam:TagRole.
    internal static readonly AwsOperation CreateRole = AwsOperation.Write(Service, nameof(CreateRole)) with { Iam = ["iam:CreateRole", "iam:TagRole"] };
    internal static readonly AwsOperation GetRole = AwsOperation.Read(Service, nameof(GetRole));
    internal static readonly AwsOperation UpdateAssumeRolePolicy = AwsOperation.Write(Service, nameof(UpdateAssumeRolePolicy));
    internal static readonly AwsOperation DeleteRole = AwsOperation.Write(Service, nameof(DeleteRole));
    internal static readonly AwsOperation PutRolePolicy = AwsOperation.Write(Service, nameof(PutRolePolicy));
    internal static readonly AwsOperation GetRolePolicy = AwsOperation.Read(Service, nameof(GetRolePolicy));
    internal static readonly AwsOperation DeleteRolePolicy = AwsOperation.Write(Service, nameof(DeleteRolePolicy));
    internal static readonly AwsOperation ListRolePolicies = AwsOperation.Read(Service, nameof(ListRolePolicies));
    internal static readonly AwsOperation TagRole = AwsOperation.Write(Service, nameof(TagRole));
    internal static readonly AwsOperation UntagRole = AwsOperation.Write(Service, nameof(UntagRole));
    internal static readonly AwsOperation ListRoleTags = AwsOperation.Read(Service, nameof(ListRoleTags));
    internal static readonly AwsOperation AttachRolePolicy = AwsOperation.Write(Service, nameof(AttachRolePolicy));
    internal static readonly AwsOperation DetachRolePolicy = AwsOperation.Write(Service, nameof(DetachRolePolicy));
    internal static readonly AwsOperation ListAttachedRolePolicies = AwsOperation.Read(Service, nameof(ListAttachedRolePolicies));
    internal static readonly AwsOperation GetPolicy = AwsOperation.Read(Service, nameof(GetPolicy));
    internal static readonly AwsOperation GetPolicyVersion = AwsOperation.Read(Service, nameof(GetPolicyVersion));
    internal static readonly AwsOperation ListRoles = AwsOperation.Read(Service, nameof(ListRoles));

    public async Task<CreateRoleResponse> CreateRoleAsync(CreateRoleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await QueryAsync<CreateRoleResponse>(
            CreateRole,
            request,
            Audit(
                RoleResource(request.RoleName),
                d => d.Add("RoleName", request.RoleName).Add("Path", request.Path).Add("Description", request.Description)
                    .Add("MaxSessionDuration", request.MaxSessionDuration).Add("PermissionsBoundary", request.PermissionsBoundary)
                    .AddDigest("AssumeRolePolicyDocument", request.AssumeRolePolicyDocument).Add("TagKeys", request.Tags?.Select(t => t.Key))),
            cancellationToken,
            r => r.Role?.Arn);
        return response with { Role = Decode(response.Role) };
    }

    public async Task<GetRoleResponse> GetRoleAsync(GetRoleRequest request, CancellationToken cancellationToken = default)
    {
        var response = await QueryAsync<GetRoleResponse>(GetRole, request, null, cancellationToken);
        return response with { Role = Decode(response.Role) };
    }

    public Task<UpdateAssumeRolePolicyResponse> UpdateAssumeRolePolicyAsync(UpdateAssumeRolePolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<UpdateAssumeRolePolicyResponse>(
            UpdateAssumeRolePolicy,
            request,
            Audit(RoleResource(request.RoleName), d => d.AddDigest("PolicyDocument", request.PolicyDocument)),
            cancellationToken);
    }

    public Task<DeleteRoleResponse> DeleteRoleAsync(DeleteRoleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<DeleteRoleResponse>(DeleteRole, request, Audit(RoleResource(request.RoleName)), cancellationToken);
    }

    public Task<PutRolePolicyResponse> PutRolePolicyAsync(PutRolePolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<PutRolePolicyResponse>(
            PutRolePolicy,
            request,
            Audit(RoleResource(request.RoleName), d => d.Add("PolicyName", request.PolicyName).AddDigest("PolicyDocument", request.PolicyDocument)),
            cancellationToken);
    }

    public async Task<GetRolePolicyResponse> GetRolePolicyAsync(GetRolePolicyRequest request, CancellationToken cancellationToken = default)
    {
        var response = await QueryAsync<GetRolePolicyResponse>(GetRolePolicy, request, null, cancellationToken);
        return response with { PolicyDocument = DecodeDocument(response.PolicyDocument) };
    }

    public Task<DeleteRolePolicyResponse> DeleteRolePolicyAsync(DeleteRolePolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<DeleteRolePolicyResponse>(
            DeleteRolePolicy,
            request,
            Audit(RoleResource(request.RoleName), d => d.Add("PolicyName", request.PolicyName)),
            cancellationToken);
    }

    public async Task<ListRolePoliciesResponse> ListRolePoliciesAsync(ListRolePoliciesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListRolePolicies.Name,
            marker => QueryAsync<ListRolePoliciesResponse>(ListRolePolicies, request with { Marker = marker }, null, cancellationToken),
            page => page.PolicyNames,
            page => page.IsTruncated == true ? page.Marker : null);
        return new ListRolePoliciesResponse { PolicyNames = all, IsTruncated = false };
    }

    public Task<TagRoleResponse> TagRoleAsync(TagRoleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<TagRoleResponse>(
            TagRole,
            request,
            Audit(RoleResource(request.RoleName), d => d.Add("Tags", request.Tags.Select(t => $"{t.Key}={t.Value}"))),
            cancellationToken);
    }

    public Task<UntagRoleResponse> UntagRoleAsync(UntagRoleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<UntagRoleResponse>(
            UntagRole,
            request,
            Audit(RoleResource(request.RoleName), d => d.Add("TagKeys", request.TagKeys)),
            cancellationToken);
    }

    public async Task<ListRoleTagsResponse> ListRoleTagsAsync(ListRoleTagsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListRoleTags.Name,
            marker => QueryAsync<ListRoleTagsResponse>(ListRoleTags, request with { Marker = marker }, null, cancellationToken),
            page => page.Tags,
            page => page.IsTruncated == true ? page.Marker : null);
        return new ListRoleTagsResponse { Tags = all, IsTruncated = false };
    }

    public Task<AttachRolePolicyResponse> AttachRolePolicyAsync(AttachRolePolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<AttachRolePolicyResponse>(
            AttachRolePolicy,
            request,
            Audit(RoleResource(request.RoleName), d => d.Add("PolicyArn", request.PolicyArn)),
            cancellationToken);
    }

    public Task<DetachRolePolicyResponse> DetachRolePolicyAsync(DetachRolePolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<DetachRolePolicyResponse>(
            DetachRolePolicy,
            request,
            Audit(RoleResource(request.RoleName), d => d.Add("PolicyArn", request.PolicyArn)),
            cancellationToken);
    }

    public async Task<ListAttachedRolePoliciesResponse> ListAttachedRolePoliciesAsync(ListAttachedRolePoliciesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListAttachedRolePolicies.Name,
            marker => QueryAsync<ListAttachedRolePoliciesResponse>(ListAttachedRolePolicies, request with { Marker = marker }, null, cancellationToken),
            page => page.AttachedPolicies,
            page => page.IsTruncated == true ? page.Marker : null);
        return new ListAttachedRolePoliciesResponse { AttachedPolicies = all, IsTruncated = false };
    }

    public Task<GetPolicyResponse> GetPolicyAsync(GetPolicyRequest request, CancellationToken cancellationToken = default) =>
        QueryAsync<GetPolicyResponse>(GetPolicy, request, null, cancellationToken);

    public async Task<GetPolicyVersionResponse> GetPolicyVersionAsync(GetPolicyVersionRequest request, CancellationToken cancellationToken = default)
    {
        var response = await QueryAsync<GetPolicyVersionResponse>(GetPolicyVersion, request, null, cancellationToken);
        return response with { PolicyVersion = response.PolicyVersion is { } version ? version with { Document = DecodeDocument(version.Document) } : null };
    }

    public async Task<ListRolesResponse> ListRolesAsync(ListRolesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListRoles.Name,
            marker => QueryAsync<ListRolesResponse>(ListRoles, request with { Marker = marker }, null, cancellationToken),
            page => page.Roles,
            page => page.IsTruncated == true ? page.Marker : null);
        return new ListRolesResponse { Roles = [.. all.Select(r => Decode(r)!)], IsTruncated = false };
    }

    /// <summary>IAM returns policy documents URL-encoded (RFC 3986) inside the XML; a document already in JSON form is left as is.</summary>
    internal static string? DecodeDocument(string? document) =>
        document is null || document.TrimStart().StartsWith('{') ? document : Uri.UnescapeDataString(document);

    private static Role? Decode(Role? role) => role is null ? null : role with { AssumeRolePolicyDocument = DecodeDocument(role.AssumeRolePolicyDocument) };

    private string RoleResource(string roleName) =>
        Scope.AccountId is null ? $"role/{roleName}" : $"arn:aws:iam::{Scope.AccountId}:role/{roleName}";
}
