using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OpenKbs.Sandbox.Kube.Auth;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>
/// The review APIs of an authorizing sandbox (create only, nothing stored): authorization.k8s.io/v1
/// SelfSubjectAccessReview (`kubectl auth can-i`), SubjectAccessReview (any user, groups), SelfSubjectRulesReview
/// (`kubectl auth can-i --list`), and authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`).
/// Also the 401/403 Status answers of authentication and authorization.
/// </summary>
internal static class AccessReviews
{
    private static readonly (string Group, string Plural, string Kind)[] Kinds =
    [
        ("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
        ("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview"),
        ("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview"),
        ("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"),
    ];

    public static void Register(ResourceRegistry registry)
    {
        foreach (var (group, plural, kind) in Kinds)
        {
            var strategy = new ResourceStrategy();
            registry.Add(new ResourceType
            {
                Group = group,
                Version = "v1",
                Plural = plural,
                Singular = kind.ToLowerInvariant(),
                Kind = kind,
                ListKind = kind + "List",
                Namespaced = false,
                Verbs = ["create"],
                HasStatus = false,
                Store = registry.Store(group, plural, strategy, false),
                Strategy = strategy,
                Table = new BuiltInTable(BuiltInTable.NameColumn, BuiltInTable.AgeColumn),
            });
        }
    }

    public static bool IsReview(RequestTarget target) =>
        target.Name is null && target.Namespace is null && Kinds.Any(k => k.Group == target.Group && k.Plural == target.Resource) && target.Version == "v1";

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>errors.NewForbidden for a denied request, with kube-apiserver's message (and the RBAC reason when there is one).</summary>
    public static ApiException Forbidden(RequestAttributes request, string reason)
    {
        var message = request.ForbiddenMessage() + (reason.Length > 0 ? ": " + reason : string.Empty);
        var details = new JsonObject();
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }

        if (request.ApiGroup.Length > 0)
        {
            details["group"] = request.ApiGroup;
        }

        if (request.Resource.Length > 0)
        {
            details["kind"] = request.Resource;
        }

        var qualified = request.ApiGroup.Length == 0 ? request.Resource : $"{request.Resource}.{request.ApiGroup}";
        var text = !request.IsResourceRequest || request.Resource.Length == 0
            ? $"forbidden: {message}"
            : request.Name.Length == 0 ? $"{qualified} is forbidden: {message}" : $"{qualified} \"{request.Name}\" is forbidden: {message}";
        return new ApiException(403, "Forbidden", text, details);
    }

    public static async Task HandleAsync(HttpContext context, RequestTarget target, SandboxAuthorization authorization, SandboxUser user, JsonObject review)
    {
        var kind = Kinds.Single(k => k.Group == target.Group && k.Plural == target.Resource).Kind;
        review["apiVersion"] = $"{target.Group}/v1";
        review["kind"] = kind;
        review["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        var spec = review["spec"] as JsonObject ?? [];
        review["spec"] = spec;
        switch (kind)
        {
            case "SelfSubjectReview":
                review["status"] = new JsonObject { ["userInfo"] = UserInfo(user) };
                break;
            case "SelfSubjectAccessReview":
                review["status"] = Review(authorization, user, spec, kind);
                break;
            case "SubjectAccessReview":
                var subject = new SandboxUser(
                    KubeJson.GetString(spec, "user") ?? string.Empty,
                    (spec["groups"] as JsonArray ?? []).Select(g => g?.ToString() ?? string.Empty).ToList());
                if (subject.Name.Length == 0 && subject.Groups.Count == 0)
                {
                    throw ApiException.Invalid(target.Group, kind, string.Empty, [KubeFieldError.Invalid("spec.user", null, "at least one of user or group must be specified")]);
                }

                review["status"] = Review(authorization, subject, spec, kind);
                break;
            default:
                review["status"] = Rules(authorization, user, KubeJson.GetString(spec, "namespace") ?? string.Empty);
                break;
        }

        await HttpJson.WriteAsync(context, 201, review);
    }

    private static JsonObject UserInfo(SandboxUser user) => new()
    {
        ["username"] = user.Name,
        ["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)g).ToArray()),
    };

    private static JsonObject Review(SandboxAuthorization authorization, SandboxUser user, JsonObject spec, string kind)
    {
        RequestAttributes request;
        if (spec["resourceAttributes"] is JsonObject r)
        {
            request = new RequestAttributes
            {
                User = user,
                IsResourceRequest = true,
                Verb = KubeJson.GetString(r, "verb") ?? string.Empty,
                ApiGroup = KubeJson.GetString(r, "group") ?? string.Empty,
                ApiVersion = KubeJson.GetString(r, "version") ?? string.Empty,
                Resource = KubeJson.GetString(r, "resource") ?? string.Empty,
                Subresource = KubeJson.GetString(r, "subresource") ?? string.Empty,
                Namespace = KubeJson.GetString(r, "namespace") ?? string.Empty,
                Name = KubeJson.GetString(r, "name") ?? string.Empty,
            };
        }
        else if (spec["nonResourceAttributes"] is JsonObject n)
        {
            request = new RequestAttributes
            {
                User = user, IsResourceRequest = false, Verb = KubeJson.GetString(n, "verb") ?? string.Empty, Path = KubeJson.GetString(n, "path") ?? string.Empty,
            };
        }
        else
        {
            throw ApiException.Invalid("authorization.k8s.io", kind, string.Empty,
                [KubeFieldError.Invalid("spec.resourceAttributes", null, "exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
        }

        var decision = authorization.Authorize(request, record: false);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return status;
    }

    private static JsonObject Rules(SandboxAuthorization authorization, SandboxUser user, string ns)
    {
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
        foreach (var rule in authorization.RulesFor(user, ns))
        {
            if (rule.NonResourceUrls.Count > 0)
            {
                nonResourceRules.Add(new JsonObject { ["verbs"] = Array(rule.Verbs), ["nonResourceURLs"] = Array(rule.NonResourceUrls) });
                continue;
            }

            var item = new JsonObject { ["verbs"] = Array(rule.Verbs), ["apiGroups"] = Array(rule.ApiGroups), ["resources"] = Array(rule.Resources) };
            if (rule.ResourceNames.Count > 0)
            {
                item["resourceNames"] = Array(rule.ResourceNames);
            }

            resourceRules.Add(item);
        }

        return new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
    }
}
