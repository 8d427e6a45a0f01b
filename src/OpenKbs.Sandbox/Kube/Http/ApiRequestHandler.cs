using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenKbs.Sandbox.Kube.Auth;
using OpenKbs.Sandbox.Kube.Engine;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>The HTTP surface of the sandbox API server: routing, discovery, OpenAPI and the resource verbs.</summary>
internal sealed partial class ApiRequestHandler(
    ApiEngine engine, SandboxFaults faults, IOpenApiProvider openApi, KubeApiServerOptions options, ILogger logger, Func<string> serverAddress, SandboxAuthorization? authorization = null)
{
    private const int MaxBodyBytes = 32 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        try
        {
            var user = Authorize(context, path);
            if (faults.Match(context.Request.Method, path, context.Request.QueryString.Value ?? string.Empty) is { } fault)
            {
                await HttpJson.WriteErrorAsync(context, fault);
                return;
            }

            if (await TryNonResourceAsync(context, path))
            {
                return;
            }

            var target = RequestTarget.Parse(path) ?? throw ApiException.NotFoundPath();
            if (authorization is not null && user is not null && AccessReviews.IsReview(target))
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    throw ApiException.MethodNotSupported(target.Group, target.Resource, context.Request.Method.ToLowerInvariant());
                }

                var reviewType = engine.Registry.Find(target.Group, target.Version, target.Resource)!;
                await AccessReviews.HandleAsync(context, target, authorization, user, await ReadObjectAsync(context, reviewType));
                return;
            }

            await HandleResourceAsync(context, target);
        }
        catch (ApiException ex)
        {
            if (!context.Response.HasStarted)
            {
                await HttpJson.WriteErrorAsync(context, ex);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, context.Request.Method, path, ex);
            if (!context.Response.HasStarted)
            {
                await HttpJson.WriteErrorAsync(context, ApiException.Internal(ex.Message));
            }
        }
    }

    /// <summary>With authentication on: the request's user (401 when its token is unknown), allowed by RBAC or refused with 403.</summary>
    private SandboxUser? Authorize(HttpContext context, string path)
    {
        if (authorization is null)
        {
            return null;
        }

        var user = authorization.Authenticate(context.Request.Headers.Authorization.ToString()) ?? throw AccessReviews.Unauthorized();
        var request = RequestAttributes.From(user, context.Request.Method, path, name => Query(context, name));
        var decision = authorization.Authorize(request);
        return decision.Allowed ? user : throw AccessReviews.Forbidden(request, decision.Reason);
    }

    private async Task<bool> TryNonResourceAsync(HttpContext context, string path)
    {
        var types = engine.Registry.All;
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["version"]:
                await HttpJson.WriteAsync(context, 200, new JsonObject
                {
                    ["major"] = "1",
                    ["minor"] = "32",
                    ["gitVersion"] = "v1.32.0",
                    ["gitCommit"] = "openkbs-sandbox",
                    ["gitTreeState"] = "clean",
                    ["buildDate"] = "2026-01-01T00:00:00Z",
                    ["goVersion"] = "go1.23.0",
                    ["compiler"] = "gc",
                    ["platform"] = "linux/amd64",
                });
                return true;
            case ["healthz"] or ["livez"] or ["readyz"]:
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("ok", context.RequestAborted);
                return true;
            case []:
                var allPaths = new JsonArray("/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version");
                await HttpJson.WriteAsync(context, 200, new JsonObject { ["paths"] = allPaths });
                return true;
            case ["api"]:
                await HttpJson.WriteAsync(context, 200, Discovery.ApiVersions(serverAddress()));
                return true;
            case ["apis"]:
                await HttpJson.WriteAsync(context, 200, Discovery.GroupList(types));
                return true;
            case ["api", var v]:
                await HttpJson.WriteAsync(context, 200, Discovery.ResourceList(string.Empty, v, types) ?? throw ApiException.NotFoundPath());
                return true;
            case ["apis", var g]:
                await HttpJson.WriteAsync(context, 200, Discovery.Group(g, types) ?? throw ApiException.NotFoundPath());
                return true;
            case ["apis", var g, var v]:
                await HttpJson.WriteAsync(context, 200, Discovery.ResourceList(g, v, types) ?? throw ApiException.NotFoundPath());
                return true;
            case ["openapi", "v2"]:
                if (!AcceptsJson(context.Request.Headers.Accept.ToString()))
                {
                    throw ApiException.NotAcceptable("only application/json is served for /openapi/v2");
                }

                await HttpJson.WriteAsync(context, 200, openApi.BuildV2(types, Crds()));
                return true;
            case ["openapi", "v3"]:
                await HttpJson.WriteAsync(context, 200, OpenApiV3Root(types));
                return true;
            case ["openapi", "v3", "api", var v]:
                await HttpJson.WriteAsync(context, 200, openApi.BuildV3GroupVersion(string.Empty, v, types, Crds()) ?? throw ApiException.NotFoundPath());
                return true;
            case ["openapi", "v3", "apis", var g, var v]:
                await HttpJson.WriteAsync(context, 200, openApi.BuildV3GroupVersion(g, v, types, Crds()) ?? throw ApiException.NotFoundPath());
                return true;
            default:
                return false;
        }
    }

    private static bool AcceptsJson(string accept) =>
        string.IsNullOrWhiteSpace(accept) || accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal);

    private JsonObject OpenApiV3Root(IReadOnlyCollection<ResourceType> types)
    {
        var paths = new JsonObject();
        foreach (var gv in types.Select(t => (t.Group, t.Version)).Distinct().OrderBy(x => x.Group, StringComparer.Ordinal).ThenBy(x => x.Version, StringComparer.Ordinal))
        {
            var doc = openApi.BuildV3GroupVersion(gv.Group, gv.Version, types, Crds());
            if (doc is null)
            {
                continue;
            }

            var relative = gv.Group.Length == 0 ? $"api/{gv.Version}" : $"apis/{gv.Group}/{gv.Version}";
            paths[relative] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{relative}?hash={DefaultOpenApiProvider.Hash(doc)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    private List<JsonObject> Crds()
    {
        var crdType = engine.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        return crdType.Store.Items.Select(ApiEngine.Parse).ToList();
    }

    private async Task HandleResourceAsync(HttpContext context, RequestTarget target)
    {
        var type = engine.Registry.Find(target.Group, target.Version, target.Resource) ?? throw ApiException.NotFoundPath();
        if ((type.Namespaced && target.Name is not null && target.Namespace is null) || (!type.Namespaced && target.Namespace is not null))
        {
            throw ApiException.NotFoundPath();
        }

        if (target.Subresource is not null && !((target.Subresource == "status" && type.HasStatus) || type.ExtraSubresources.Contains(target.Subresource)))
        {
            throw ApiException.NotFoundPath();
        }

        var method = context.Request.Method.ToUpperInvariant();
        switch (method)
        {
            case "GET" when target.Name is not null && !IsWatch(context):
                RequireVerb(type, "get");
                await GetAsync(context, type, target);
                break;
            case "GET" when IsWatch(context):
                RequireVerb(type, "watch");
                await WatchAsync(context, type, target);
                break;
            case "GET":
                RequireVerb(type, "list");
                await ListAsync(context, type, target);
                break;
            case "POST" when target.Name is null && (!type.Namespaced || target.Namespace is not null):
                RequireVerb(type, "create");
                await CreateAsync(context, type, target);
                break;
            case "PUT" when target.Name is not null:
                RequireVerb(type, "update");
                await UpdateAsync(context, type, target);
                break;
            case "PATCH" when target.Name is not null && target.Subresource != "finalize":
                RequireVerb(type, "patch");
                await PatchAsync(context, type, target);
                break;
            case "DELETE" when target.Name is not null && target.Subresource is null:
                RequireVerb(type, "delete");
                await DeleteAsync(context, type, target);
                break;
            case "DELETE" when target.Name is null:
                RequireVerb(type, "deletecollection");
                await DeleteCollectionAsync(context, type, target);
                break;
            default:
                throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());
        }
    }

    private static void RequireVerb(ResourceType type, string verb)
    {
        if (!type.Verbs.Contains(verb))
        {
            throw ApiException.MethodNotSupported(type.Group, type.Plural, verb);
        }
    }

    private static bool IsWatch(HttpContext context) => context.Request.Query["watch"].ToString() is "true" or "1";

    private static string? Query(HttpContext context, string name)
    {
        var value = context.Request.Query[name].ToString();
        return value.Length == 0 ? null : value;
    }

    private static bool QueryBool(HttpContext context, string name) => Query(context, name) is "true" or "1";

    private async Task GetAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        var (format, metaVersion) = Negotiation.Negotiate(context.Request.Headers.Accept.ToString(), list: false);
        var stored = ApiEngine.Get(type, target.Namespace, target.Name!);
        switch (format)
        {
            case ResponseFormat.Table:
                var obj = TableWriter.Served(type, stored);
                var table = TableWriter.Table(type, [obj], metaVersion, TableWriter.IncludeObject(Query(context, "includeObject")), true, engine.Time.GetUtcNow(),
                    new JsonObject { ["resourceVersion"] = stored.ResourceVersion.ToString(CultureInfo.InvariantCulture) });
                await HttpJson.WriteAsync(context, 200, table);
                break;
            case ResponseFormat.PartialObjectMetadata:
                await HttpJson.WriteAsync(context, 200, TableWriter.PartialObjectMetadata(TableWriter.Served(type, stored), metaVersion));
                break;
            default:
                await HttpJson.WriteAsync(context, 200, ApiEngine.ServedBytes(type, stored));
                break;
        }
    }

    private static WatchFilter Filter(HttpContext context, ResourceType type, RequestTarget target)
    {
        var fields = ApiEngine.ParseFieldSelector(type, Query(context, "fieldSelector"));
        if (target.Name is not null)
        {
            fields = ApiEngine.ParseFieldSelector(type, $"metadata.name={target.Name}" + (Query(context, "fieldSelector") is { } extra ? "," + extra : string.Empty));
        }

        return new WatchFilter(type.Namespaced ? target.Namespace : null, ApiEngine.ParseLabelSelector(Query(context, "labelSelector")), fields);
    }

    private async Task ListAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        var (format, metaVersion) = Negotiation.Negotiate(context.Request.Headers.Accept.ToString(), list: true);
        var limitText = Query(context, "limit");
        long limit = 0;
        if (limitText is not null && (!long.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 0))
        {
            throw ApiException.BadRequest($"invalid limit: \"{limitText}\"");
        }

        var result = await engine.ListAsync(type, new ListRequest
        {
            Filter = Filter(context, type, target),
            Limit = limit,
            Continue = Query(context, "continue"),
            ResourceVersion = Query(context, "resourceVersion"),
            ResourceVersionMatch = Query(context, "resourceVersionMatch"),
        }, context.RequestAborted);
        var listMeta = TableWriter.ListMeta(result.ResourceVersion, result.Continue, result.RemainingItemCount);

        switch (format)
        {
            case ResponseFormat.Table:
                var table = TableWriter.Table(type, result.Items.Select(i => TableWriter.Served(type, i)), metaVersion, TableWriter.IncludeObject(Query(context, "includeObject")), true, engine.Time.GetUtcNow(), listMeta);
                await HttpJson.WriteAsync(context, 200, table);
                return;
            case ResponseFormat.PartialObjectMetadataList:
                var items = new JsonArray();
                foreach (var i in result.Items)
                {
                    items.Add(TableWriter.PartialObjectMetadata(TableWriter.Served(type, i), metaVersion));
                }

                await HttpJson.WriteAsync(context, 200, new JsonObject { ["kind"] = "PartialObjectMetadataList", ["apiVersion"] = $"meta.k8s.io/{metaVersion}", ["metadata"] = listMeta, ["items"] = items });
                return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var writer = context.Response.BodyWriter;
        var header = $"{{\"kind\":{KubeJson.Quote(type.ListKind)},\"apiVersion\":{KubeJson.Quote(type.ApiVersion)},\"metadata\":{listMeta.ToJsonString()},\"items\":[";
        await writer.WriteAsync(Encoding.UTF8.GetBytes(header), context.RequestAborted);
        var first = true;
        foreach (var item in result.Items)
        {
            if (!first)
            {
                writer.GetSpan(1)[0] = (byte)',';
                writer.Advance(1);
            }

            first = false;
            var bytes = ApiEngine.ServedBytes(type, item);
            bytes.CopyTo(writer.GetSpan(bytes.Length));
            writer.Advance(bytes.Length);
            if (writer.UnflushedBytes > 256 * 1024)
            {
                await writer.FlushAsync(context.RequestAborted);
            }
        }

        await writer.WriteAsync("]}"u8.ToArray(), context.RequestAborted);
        await writer.FlushAsync(context.RequestAborted);
    }

    private static WriteOptions WriteOptionsFor(HttpContext context, bool apply = false)
    {
        var dryRun = Query(context, "dryRun");
        if (dryRun is not null && dryRun != "All")
        {
            throw ApiException.BadRequest($"Invalid dry run value: {dryRun}");
        }

        var validation = Query(context, "fieldValidation") ?? "Warn";
        if (validation is not ("Strict" or "Warn" or "Ignore"))
        {
            throw ApiException.BadRequest($"Invalid fieldValidation value: {validation}: supported values are \"Ignore\", \"Warn\", \"Strict\"");
        }

        var manager = Query(context, "fieldManager");
        if (manager is null && !apply)
        {
            var agent = context.Request.Headers.UserAgent.ToString();
            manager = agent.Length == 0 ? "unknown" : agent.Split('/')[0];
            if (manager.Length > 128)
            {
                manager = manager[..128];
            }
        }

        return new WriteOptions { DryRun = dryRun is not null, FieldManager = manager ?? string.Empty, FieldValidation = validation, Force = QueryBool(context, "force") };
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > MaxBodyBytes)
        {
            throw new ApiException(413, "RequestEntityTooLarge", "the server has received a request that is too large", new JsonObject());
        }

        return buffer.ToArray();
    }

    private static string MediaType(HttpContext context) => (context.Request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context, ResourceType type)
    {
        var body = await ReadBodyAsync(context);
        var mediaType = MediaType(context);
        switch (mediaType)
        {
            case "application/json" or "*/*" or "":
                return KubeJson.ParseRequestObject(body, $"couldn't get version/kind; json parse error");
            case "application/yaml":
                try
                {
                    return YamlJson.ParseSingle(Encoding.UTF8.GetString(body)) as JsonObject ?? throw ApiException.BadRequest("the body must be a YAML object");
                }
                catch (FormatException ex)
                {
                    throw ApiException.BadRequest(ex.Message);
                }

            case "application/vnd.kubernetes.protobuf":
                try
                {
                    return ProtobufObjects.Decode(body);
                }
                catch (FormatException ex)
                {
                    throw ApiException.UnsupportedMediaType(ex.Message);
                }

            default:
                throw ApiException.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
        }
    }

    private static async Task RespondWriteAsync(HttpContext context, ResourceType type, WriteResult result, WriteOptions options, int successCode)
    {
        HttpJson.AddWarnings(context, options.Warnings);
        if (result.Object is not null)
        {
            await HttpJson.WriteAsync(context, successCode, result.Object);
        }
        else if (result.Stored is not null)
        {
            await HttpJson.WriteAsync(context, successCode, ApiEngine.ServedBytes(type, result.Stored));
        }
        else
        {
            await HttpJson.WriteAsync(context, 200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success" });
        }
    }

    private async Task CreateAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        var options = WriteOptionsFor(context);
        var body = await ReadObjectAsync(context, type);
        var result = engine.Create(type, target.Namespace, body, options);
        await RespondWriteAsync(context, type, result, options, 201);
    }

    private async Task UpdateAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        var options = WriteOptionsFor(context);
        var body = await ReadObjectAsync(context, type);
        var result = engine.Update(type, target.Namespace, target.Name!, target.Subresource, body, options);
        if (result.Deleted && result.Stored is not null)
        {
            await HttpJson.WriteAsync(context, 200, ApiEngine.ServedBytes(type, result.Stored));
            return;
        }

        await RespondWriteAsync(context, type, result, options, result.Created ? 201 : 200);
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        var patchType = MediaType(context);
        var options = WriteOptionsFor(context, apply: patchType == "application/apply-patch+yaml");
        var body = await ReadBodyAsync(context);
        var result = engine.Patch(type, target.Namespace, target.Name!, target.Subresource, patchType, body, options);
        if (result.Deleted && result.Stored is not null)
        {
            await HttpJson.WriteAsync(context, 200, ApiEngine.ServedBytes(type, result.Stored));
            return;
        }

        await RespondWriteAsync(context, type, result, options, result.Created ? 201 : 200);
    }

    private static async Task<DeleteOptions> DeleteOptionsForAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        JsonObject? o = null;
        if (body.Length > 0)
        {
            o = KubeJson.ParseRequestObject(body, "DeleteOptions");
        }

        var dryRun = Query(context, "dryRun") ?? (o?["dryRun"] is JsonArray d && d.Count > 0 ? d[0]?.GetValue<string>() : null);
        if (dryRun is not null && dryRun != "All")
        {
            throw ApiException.BadRequest($"Invalid dry run value: {dryRun}");
        }

        var policy = Query(context, "propagationPolicy") ?? KubeJson.GetString(o, "propagationPolicy");
        if (o?["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var orphanFlag))
        {
            policy ??= orphanFlag ? "Orphan" : "Background";
        }

        if (policy is not (null or "Background" or "Foreground" or "Orphan"))
        {
            throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        var preconditions = o?["preconditions"] as JsonObject;
        return new DeleteOptions
        {
            DryRun = dryRun is not null,
            PropagationPolicy = policy ?? "Background",
            PreconditionUid = KubeJson.GetString(preconditions, "uid"),
            PreconditionResourceVersion = KubeJson.GetString(preconditions, "resourceVersion"),
        };
    }

    private async Task DeleteAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        var options = await DeleteOptionsForAsync(context);
        var result = engine.Delete(type, target.Namespace, target.Name!, options);
        if (result.Deleted)
        {
            var stored = result.Stored!;
            await HttpJson.WriteAsync(context, 200, HttpJson.Success(stored.Name, type.Group, type.Plural, stored.Uid));
            return;
        }

        if (result.Object is not null)
        {
            await HttpJson.WriteAsync(context, 200, result.Object);
            return;
        }

        await HttpJson.WriteAsync(context, 200, ApiEngine.ServedBytes(type, result.Stored!));
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        var options = await DeleteOptionsForAsync(context);
        var filter = Filter(context, type, target);
        var results = engine.DeleteCollection(type, filter, options);
        var items = new JsonArray();
        foreach (var r in results)
        {
            if (r.Object is not null)
            {
                items.Add(r.Object);
            }
            else if (r.Stored is not null)
            {
                items.Add(ApiEngine.ToServed(type, ApiEngine.Parse(r.Stored)));
            }
        }

        await HttpJson.WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = engine.Clock.Current.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
