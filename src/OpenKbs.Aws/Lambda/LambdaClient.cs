using OpenKbs.Aws.Core;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Protocols;

namespace OpenKbs.Aws.Lambda;

/// <summary>
/// The hand-written Lambda client (restJson1 over the shared pipeline). Function names become ARNs in the audit trail and are
/// checked by the EU guard when they are ARNs. Environment variable values and zip bytes are never audited (names and a digest only).
/// </summary>
internal sealed class LambdaClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), ILambdaClient
{
    private const string Functions = "/2015-03-31/functions";
    private const string Tags = "/2017-03-31/tags/";
    private const string UrlFunctions = "/2021-10-31/functions/";
    private const string Layers = "/2018-10-31/layers/";

    private static readonly AwsService Service = AwsServices.Lambda;

    // Dependent actions (Service Authorization Reference): the execution role is passed (iam:PassRole); code from S3 is read with
    // the caller's permissions (s3:GetObject/GetObjectVersion, plus kms:Decrypt of an SSE-KMS object); tags at creation; a
    // layer is attached with lambda:GetLayerVersion on the layer version (CreateFunction and UpdateFunctionConfiguration).
    internal static readonly AwsOperation CreateFunction = AwsOperation.Write(Service, nameof(CreateFunction)) with { Iam = ["lambda:CreateFunction", "lambda:TagResource", "lambda:GetLayerVersion", "iam:PassRole", "s3:GetObject", "s3:GetObjectVersion"] };
    internal static readonly AwsOperation GetFunction = AwsOperation.Read(Service, nameof(GetFunction), family: nameof(GetFunction));
    internal static readonly AwsOperation GetFunctionConfiguration = AwsOperation.Read(Service, nameof(GetFunctionConfiguration));
    internal static readonly AwsOperation UpdateFunctionCode = AwsOperation.Write(Service, nameof(UpdateFunctionCode)) with { Iam = ["lambda:UpdateFunctionCode", "s3:GetObject", "s3:GetObjectVersion"] };
    internal static readonly AwsOperation UpdateFunctionConfiguration = AwsOperation.Write(Service, nameof(UpdateFunctionConfiguration)) with { Iam = ["lambda:UpdateFunctionConfiguration", "lambda:GetLayerVersion", "iam:PassRole"] };
    internal static readonly AwsOperation DeleteFunction = AwsOperation.Write(Service, nameof(DeleteFunction));
    internal static readonly AwsOperation ListFunctions = AwsOperation.Read(Service, nameof(ListFunctions));
    internal static readonly AwsOperation TagResource = AwsOperation.Write(Service, nameof(TagResource));
    internal static readonly AwsOperation UntagResource = AwsOperation.Write(Service, nameof(UntagResource));
    internal static readonly AwsOperation ListTags = AwsOperation.Read(Service, nameof(ListTags));
    internal static readonly AwsOperation AddPermission = AwsOperation.Write(Service, nameof(AddPermission));
    internal static readonly AwsOperation RemovePermission = AwsOperation.Write(Service, nameof(RemovePermission));
    internal static readonly AwsOperation GetPolicy = AwsOperation.Read(Service, nameof(GetPolicy), family: nameof(GetPolicy));
    internal static readonly AwsOperation PublishLayerVersion = AwsOperation.Write(Service, nameof(PublishLayerVersion));
    internal static readonly AwsOperation ListLayerVersions = AwsOperation.Read(Service, nameof(ListLayerVersions));
    internal static readonly AwsOperation CreateFunctionUrlConfig = AwsOperation.Write(Service, nameof(CreateFunctionUrlConfig));
    internal static readonly AwsOperation GetFunctionUrlConfig = AwsOperation.Read(Service, nameof(GetFunctionUrlConfig));
    internal static readonly AwsOperation UpdateFunctionUrlConfig = AwsOperation.Write(Service, nameof(UpdateFunctionUrlConfig));
    internal static readonly AwsOperation DeleteFunctionUrlConfig = AwsOperation.Write(Service, nameof(DeleteFunctionUrlConfig));

    public Task<CreateFunctionResponse> CreateFunctionAsync(CreateFunctionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<CreateFunctionResponse>(
            CreateFunction,
            HttpMethod.Post,
            Functions,
            request,
            Audit(
                FunctionArn(request.FunctionName),
                d => d.Add("Runtime", request.Runtime).Add("Handler", request.Handler).Add("Role", request.Role)
                    .Add("MemorySize", request.MemorySize).Add("Timeout", request.Timeout).Add("Publish", request.Publish)
                    .Add("Architectures", request.Architectures).Add("KMSKeyArn", request.KMSKeyArn).Add("Layers", request.Layers)
                    .Add("Code", CodeSummary(request.Code.ZipFile, request.Code.S3Bucket, request.Code.S3Key, request.Code.S3ObjectVersion))
                    .Add("EnvironmentVariableNames", request.Environment?.Variables?.Keys.Order(StringComparer.Ordinal))
                    .Add("TagKeys", request.Tags?.Keys.Order(StringComparer.Ordinal))),
            cancellationToken,
            resourceFromResult: r => r.FunctionArn,
            guardedArns: [request.FunctionName, request.KMSKeyArn]);
    }

    public Task<GetFunctionResponse> GetFunctionAsync(GetFunctionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<GetFunctionResponse>(
            GetFunction,
            HttpMethod.Get,
            FunctionPath(request.FunctionName),
            null,
            null,
            cancellationToken,
            query: Qualifier(request.Qualifier),
            guardedArns: [request.FunctionName]);
    }

    public Task<GetFunctionConfigurationResponse> GetFunctionConfigurationAsync(GetFunctionConfigurationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<GetFunctionConfigurationResponse>(
            GetFunctionConfiguration,
            HttpMethod.Get,
            FunctionPath(request.FunctionName) + "/configuration",
            null,
            null,
            cancellationToken,
            query: Qualifier(request.Qualifier),
            guardedArns: [request.FunctionName]);
    }

    public Task<UpdateFunctionCodeResponse> UpdateFunctionCodeAsync(UpdateFunctionCodeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<UpdateFunctionCodeResponse>(
            UpdateFunctionCode,
            HttpMethod.Put,
            FunctionPath(request.FunctionName) + "/code",
            request,
            Audit(
                FunctionArn(request.FunctionName),
                d => d.Add("Code", CodeSummary(request.ZipFile, request.S3Bucket, request.S3Key, request.S3ObjectVersion))
                    .Add("Publish", request.Publish).Add("DryRun", request.DryRun).Add("RevisionId", request.RevisionId)),
            cancellationToken,
            resourceFromResult: r => r.FunctionArn,
            guardedArns: [request.FunctionName]);
    }

    public Task<UpdateFunctionConfigurationResponse> UpdateFunctionConfigurationAsync(UpdateFunctionConfigurationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<UpdateFunctionConfigurationResponse>(
            UpdateFunctionConfiguration,
            HttpMethod.Put,
            FunctionPath(request.FunctionName) + "/configuration",
            request,
            Audit(
                FunctionArn(request.FunctionName),
                d => d.Add("Runtime", request.Runtime).Add("Handler", request.Handler).Add("Role", request.Role)
                    .Add("MemorySize", request.MemorySize).Add("Timeout", request.Timeout).Add("KMSKeyArn", request.KMSKeyArn)
                    .Add("EnvironmentVariableNames", request.Environment?.Variables?.Keys.Order(StringComparer.Ordinal))
                    .Add("Layers", request.Layers).Add("RevisionId", request.RevisionId)),
            cancellationToken,
            resourceFromResult: r => r.FunctionArn,
            guardedArns: [request.FunctionName, request.KMSKeyArn]);
    }

    public Task<DeleteFunctionResponse> DeleteFunctionAsync(DeleteFunctionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync(
            DeleteFunction,
            HttpMethod.Delete,
            FunctionPath(request.FunctionName),
            null,
            Audit(FunctionArn(request.FunctionName), d => d.Add("Qualifier", request.Qualifier)),
            cancellationToken,
            query: Qualifier(request.Qualifier),
            read: r => new DeleteFunctionResponse { StatusCode = (int)r.StatusCode },
            guardedArns: [request.FunctionName]);
    }

    public async Task<ListFunctionsResponse> ListFunctionsAsync(ListFunctionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListFunctions.Name,
            marker => RestJsonAsync<ListFunctionsResponse>(ListFunctions, HttpMethod.Get, Functions, null, null, cancellationToken, query: AwsPagination.MarkerQuery(marker, request.MaxItems)),
            page => page.Functions,
            page => page.NextMarker);
        return new ListFunctionsResponse { Functions = all };
    }

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<TagResourceResponse>(
            TagResource,
            HttpMethod.Post,
            Tags + RestJsonCodec.Label(request.Resource),
            request,
            Audit(request.Resource, d => d.Add("Tags", request.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"))),
            cancellationToken,
            read: _ => new TagResourceResponse());
    }

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<UntagResourceResponse>(
            UntagResource,
            HttpMethod.Delete,
            Tags + RestJsonCodec.Label(request.Resource),
            null,
            Audit(request.Resource, d => d.Add("TagKeys", request.TagKeys)),
            cancellationToken,
            query: request.TagKeys.Select(k => new KeyValuePair<string, string>("tagKeys", k)),
            read: _ => new UntagResourceResponse());
    }

    public Task<ListTagsResponse> ListTagsAsync(ListTagsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<ListTagsResponse>(ListTags, HttpMethod.Get, Tags + RestJsonCodec.Label(request.Resource), null, null, cancellationToken);
    }

    public Task<AddPermissionResponse> AddPermissionAsync(AddPermissionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<AddPermissionResponse>(
            AddPermission,
            HttpMethod.Post,
            FunctionPath(request.FunctionName) + "/policy",
            request,
            Audit(
                FunctionArn(request.FunctionName),
                d => d.Add("StatementId", request.StatementId).Add("Action", request.Action).Add("Principal", request.Principal)
                    .Add("SourceArn", request.SourceArn).Add("SourceAccount", request.SourceAccount).Add("Qualifier", request.Qualifier)),
            cancellationToken,
            query: Qualifier(request.Qualifier),
            guardedArns: [request.FunctionName]);
    }

    public Task<RemovePermissionResponse> RemovePermissionAsync(RemovePermissionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = Qualifier(request.Qualifier);
        if (request.RevisionId is not null)
        {
            query.Add(new("RevisionId", request.RevisionId));
        }

        return RestJsonAsync<RemovePermissionResponse>(
            RemovePermission,
            HttpMethod.Delete,
            FunctionPath(request.FunctionName) + "/policy/" + RestJsonCodec.Label(request.StatementId),
            null,
            Audit(FunctionArn(request.FunctionName), d => d.Add("StatementId", request.StatementId).Add("Qualifier", request.Qualifier)),
            cancellationToken,
            query: query,
            read: _ => new RemovePermissionResponse(),
            guardedArns: [request.FunctionName]);
    }

    public Task<GetPolicyResponse> GetPolicyAsync(GetPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<GetPolicyResponse>(
            GetPolicy,
            HttpMethod.Get,
            FunctionPath(request.FunctionName) + "/policy",
            null,
            null,
            cancellationToken,
            query: Qualifier(request.Qualifier),
            guardedArns: [request.FunctionName]);
    }

    public Task<CreateFunctionUrlConfigResponse> CreateFunctionUrlConfigAsync(CreateFunctionUrlConfigRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteUrlConfigAsync<CreateFunctionUrlConfigResponse>(
            CreateFunctionUrlConfig, HttpMethod.Post, request, request.FunctionName, request.Qualifier, request.AuthType, request.InvokeMode, cancellationToken);
    }

    public Task<GetFunctionUrlConfigResponse> GetFunctionUrlConfigAsync(GetFunctionUrlConfigRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<GetFunctionUrlConfigResponse>(
            GetFunctionUrlConfig, HttpMethod.Get, UrlPath(request.FunctionName), null, null, cancellationToken, query: Qualifier(request.Qualifier), guardedArns: [request.FunctionName]);
    }

    public Task<UpdateFunctionUrlConfigResponse> UpdateFunctionUrlConfigAsync(UpdateFunctionUrlConfigRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteUrlConfigAsync<UpdateFunctionUrlConfigResponse>(
            UpdateFunctionUrlConfig, HttpMethod.Put, request, request.FunctionName, request.Qualifier, request.AuthType, request.InvokeMode, cancellationToken);
    }

    public Task<DeleteFunctionUrlConfigResponse> DeleteFunctionUrlConfigAsync(DeleteFunctionUrlConfigRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<DeleteFunctionUrlConfigResponse>(
            DeleteFunctionUrlConfig,
            HttpMethod.Delete,
            UrlPath(request.FunctionName),
            null,
            Audit(FunctionArn(request.FunctionName), d => d.Add("Qualifier", request.Qualifier)),
            cancellationToken,
            query: Qualifier(request.Qualifier),
            read: _ => new DeleteFunctionUrlConfigResponse(),
            guardedArns: [request.FunctionName]);
    }

    public Task<PublishLayerVersionResponse> PublishLayerVersionAsync(PublishLayerVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var content = request.Content;
        return RestJsonAsync<PublishLayerVersionResponse>(
            PublishLayerVersion,
            HttpMethod.Post,
            Layers + RestJsonCodec.Label(request.LayerName) + "/versions",
            request,
            Audit(
                LayerArn(request.LayerName),
                d => d.Add("Content", CodeSummary(content.ZipFile, content.S3Bucket, content.S3Key, content.S3ObjectVersion))
                    .Add("CompatibleRuntimes", request.CompatibleRuntimes).Add("CompatibleArchitectures", request.CompatibleArchitectures)),
            cancellationToken,
            resourceFromResult: r => r.LayerVersionArn);
    }

    public async Task<ListLayerVersionsResponse> ListLayerVersionsAsync(ListLayerVersionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListLayerVersions.Name,
            marker => RestJsonAsync<ListLayerVersionsResponse>(
                ListLayerVersions, HttpMethod.Get, Layers + RestJsonCodec.Label(request.LayerName) + "/versions", null, null, cancellationToken, query: AwsPagination.MarkerQuery(marker, request.MaxItems)),
            page => page.LayerVersions,
            page => page.NextMarker);
        return new ListLayerVersionsResponse { LayerVersions = all };
    }

    /// <summary>The layer ARN for the audit trail (a name becomes an ARN in the scope's account and region).</summary>
    private string LayerArn(string layerName) =>
        layerName.StartsWith("arn:", StringComparison.Ordinal) || Scope.AccountId is null
            ? layerName
            : $"arn:aws:lambda:{Scope.Region}:{Scope.AccountId}:layer:{layerName}";

    private Task<T> WriteUrlConfigAsync<T>(
        AwsOperation operation, HttpMethod method, object body, string functionName, string? qualifier, string? authType, string? invokeMode, CancellationToken cancellationToken)
        where T : new() =>
        RestJsonAsync<T>(
            operation,
            method,
            UrlPath(functionName),
            body,
            Audit(FunctionArn(functionName), d => d.Add("AuthType", authType).Add("InvokeMode", invokeMode).Add("Qualifier", qualifier)),
            cancellationToken,
            query: Qualifier(qualifier),
            guardedArns: [functionName]);

    private static string UrlPath(string functionName) => UrlFunctions + RestJsonCodec.Label(functionName) + "/url";

    /// <summary>A name, partial ARN or full ARN as a path label (':' encoded; the signer double-encodes it).</summary>
    private static string FunctionPath(string functionName) => Functions + "/" + RestJsonCodec.Label(functionName);

    private static List<KeyValuePair<string, string>> Qualifier(string? qualifier) =>
        qualifier is null ? [] : [new("Qualifier", qualifier)];

    /// <summary>Where the code comes from, without the code: the S3 object, or the zip's size and SHA-256 prefix.</summary>
    internal static string? CodeSummary(byte[]? zip, string? bucket, string? key, string? version)
    {
        if (zip is not null)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(zip));
            return $"zip sha256:{hash[..16]}; length {zip.Length}";
        }

        return bucket is null ? null : $"s3://{bucket}/{key}" + (version is null ? string.Empty : $"?versionId={version}");
    }

    /// <summary>The function ARN for the audit trail (a name becomes an ARN in the scope's account and region).</summary>
    private string FunctionArn(string functionName) =>
        functionName.StartsWith("arn:", StringComparison.Ordinal) || Scope.AccountId is null
            ? functionName
            : $"arn:aws:lambda:{Scope.Region}:{Scope.AccountId}:function:{functionName}";
}
