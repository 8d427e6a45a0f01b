using OpenKbs.Aws.Lambda.Model;

namespace OpenKbs.Aws.Lambda;

/// <summary>
/// Lambda (restJson1, regional, 2015-03-31): the function operations a Project needs. Names and shapes follow the official
/// AWSSDK.Lambda client (docs/aws.md, the official-package debt). Every update must wait while <c>State</c> is Pending or
/// <c>LastUpdateStatus</c> is InProgress; a call in between answers 409 <c>ResourceConflictException</c>, classified Conflict.
/// </summary>
public interface ILambdaClient
{
    /// <summary>Creates a function (201). An existing name answers ResourceConflictException (Conflict): read it instead.</summary>
    Task<CreateFunctionResponse> CreateFunctionAsync(CreateFunctionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Configuration (with State and LastUpdateStatus), code location and tags. Unknown name: ResourceNotFoundException (NotFound).</summary>
    Task<GetFunctionResponse> GetFunctionAsync(GetFunctionRequest request, CancellationToken cancellationToken = default);

    /// <summary>The configuration only (with State, LastUpdateStatus and RevisionId).</summary>
    Task<GetFunctionConfigurationResponse> GetFunctionConfigurationAsync(GetFunctionConfigurationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces the code (zip or S3 object). Pass RevisionId to lock against concurrent changes.</summary>
    Task<UpdateFunctionCodeResponse> UpdateFunctionCodeAsync(UpdateFunctionCodeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes the configuration; null members stay unchanged. Pass RevisionId to lock against concurrent changes.</summary>
    Task<UpdateFunctionConfigurationResponse> UpdateFunctionConfigurationAsync(UpdateFunctionConfigurationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a function (every version and alias without a qualifier). 200, 202 and 204 all mean success.</summary>
    Task<DeleteFunctionResponse> DeleteFunctionAsync(DeleteFunctionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every function of the region (all pages; no State fields: use GetFunction).</summary>
    Task<ListFunctionsResponse> ListFunctionsAsync(ListFunctionsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or overwrites tags on a function ARN.</summary>
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags from a function ARN.</summary>
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>The tags of a function ARN.</summary>
    Task<ListTagsResponse> ListTagsAsync(ListTagsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds a resource-policy statement (e.g. let CloudFront or a service invoke the function). A duplicate StatementId is a Conflict.</summary>
    Task<AddPermissionResponse> AddPermissionAsync(AddPermissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes a resource-policy statement.</summary>
    Task<RemovePermissionResponse> RemovePermissionAsync(RemovePermissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>The resource policy (NotFound when the function has none).</summary>
    Task<GetPolicyResponse> GetPolicyAsync(GetPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gives the function a URL (AWS_IAM: only signed requests, e.g. CloudFront with origin access control). 409 when it has one.</summary>
    Task<CreateFunctionUrlConfigResponse> CreateFunctionUrlConfigAsync(CreateFunctionUrlConfigRequest request, CancellationToken cancellationToken = default);

    /// <summary>The function's URL and its auth type (NotFound when it has none).</summary>
    Task<GetFunctionUrlConfigResponse> GetFunctionUrlConfigAsync(GetFunctionUrlConfigRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes the URL's auth type or invoke mode (the URL itself stays).</summary>
    Task<UpdateFunctionUrlConfigResponse> UpdateFunctionUrlConfigAsync(UpdateFunctionUrlConfigRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes the function's URL (its address is not reused).</summary>
    Task<DeleteFunctionUrlConfigResponse> DeleteFunctionUrlConfigAsync(DeleteFunctionUrlConfigRequest request, CancellationToken cancellationToken = default);

    /// <summary>Publishes a new immutable version of a layer (e.g. the project's @openkbs/auth helper); its ARN ends in the version number.</summary>
    Task<PublishLayerVersionResponse> PublishLayerVersionAsync(PublishLayerVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every version of a layer (all pages), newest first.</summary>
    Task<ListLayerVersionsResponse> ListLayerVersionsAsync(ListLayerVersionsRequest request, CancellationToken cancellationToken = default);
}
