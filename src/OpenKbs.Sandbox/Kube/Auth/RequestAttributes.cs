using System.Text.RegularExpressions;

namespace OpenKbs.Sandbox.Kube.Auth;

/// <summary>
/// What the authorizer decides on (authorizer.Attributes), derived from a request the way k8s.io/apiserver's
/// RequestInfoFactory does: /api/v1/... and /apis/GROUP/VERSION/... are resource requests (verb from the method:
/// GET get|list|watch, POST create, PUT update, PATCH patch, DELETE delete|deletecollection); `namespaces/NAME` is the
/// namespace NAME itself (namespaced attributes); a list or watch with `fieldSelector=metadata.name=X` is about name X;
/// every other path is a non-resource request whose verb is the lower-case method.
/// </summary>
internal sealed partial record RequestAttributes
{
    private static readonly HashSet<string> NamespaceSubresources = new(StringComparer.Ordinal) { "status", "finalize" };

    public required SandboxUser User { get; init; }

    public required string Verb { get; init; }

    public required bool IsResourceRequest { get; init; }

    public string Path { get; init; } = string.Empty;

    public string ApiGroup { get; init; } = string.Empty;

    public string ApiVersion { get; init; } = string.Empty;

    public string Namespace { get; init; } = string.Empty;

    public string Resource { get; init; } = string.Empty;

    public string Subresource { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    /// <summary>"resource/subresource" or "resource": what rules name.</summary>
    public string CombinedResource => Subresource.Length == 0 ? Resource : $"{Resource}/{Subresource}";

    public static RequestAttributes From(SandboxUser user, string method, string path, Func<string, string?> query)
    {
        var verb = method.ToLowerInvariant();
        var nonResource = new RequestAttributes { User = user, Verb = verb, IsResourceRequest = false, Path = path };
        var parts = path.Trim('/').Split('/');
        int index;
        string group;
        string version;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, index) = (string.Empty, parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, index) = (parts[1], parts[2], 3);
        }
        else
        {
            return nonResource;
        }

        var current = parts[index..];
        var resourceVerb = method.ToUpperInvariant() switch
        {
            "POST" => "create",
            "GET" or "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => string.Empty,
        };
        if (resourceVerb.Length == 0)
        {
            return nonResource;
        }

        var ns = string.Empty;
        if (current[0] == "namespaces")
        {
            if (current.Length > 1)
            {
                ns = current[1];
                if (current.Length > 2 && !NamespaceSubresources.Contains(current[2]))
                {
                    current = current[2..];
                }
            }
        }

        var resource = current.Length > 0 ? current[0] : string.Empty;
        var name = current.Length > 1 ? current[1] : string.Empty;
        var subresource = current.Length > 2 ? current[2] : string.Empty;
        if (name.Length == 0 && resourceVerb == "get")
        {
            resourceVerb = query("watch") is "true" or "1" ? "watch" : "list";
            if (query("fieldSelector") is { } selector && ExactName(selector) is { } exact)
            {
                name = exact;
            }
        }

        if (name.Length == 0 && resourceVerb == "delete")
        {
            resourceVerb = "deletecollection";
        }

        return new RequestAttributes
        {
            User = user,
            Verb = resourceVerb,
            IsResourceRequest = true,
            Path = path,
            ApiGroup = group,
            ApiVersion = version,
            Namespace = ns,
            Resource = resource,
            Name = name,
            Subresource = subresource,
        };
    }

    /// <summary>The name a field selector requires exactly (<c>metadata.name=X</c> or <c>==</c>), if it is a valid path segment.</summary>
    private static string? ExactName(string selector)
    {
        foreach (var term in selector.Split(','))
        {
            var match = NameTerm().Match(term.Trim());
            if (match.Success && match.Groups[1].Value is { Length: > 0 } name && name is not ("." or "..") && !name.Contains('/') && !name.Contains('%'))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>kube-apiserver's forbiddenMessage: who cannot do what, where.</summary>
    public string ForbiddenMessage()
    {
        if (!IsResourceRequest)
        {
            return $"User \"{User.Name}\" cannot {Verb} path \"{Path}\"";
        }

        return Namespace.Length > 0
            ? $"User \"{User.Name}\" cannot {Verb} resource \"{CombinedResource}\" in API group \"{ApiGroup}\" in the namespace \"{Namespace}\""
            : $"User \"{User.Name}\" cannot {Verb} resource \"{CombinedResource}\" in API group \"{ApiGroup}\" at the cluster scope";
    }

    public override string ToString() => IsResourceRequest
        ? $"{Verb} {CombinedResource}{(ApiGroup.Length > 0 ? "." + ApiGroup : string.Empty)}{(Name.Length > 0 ? " \"" + Name + "\"" : string.Empty)}{(Namespace.Length > 0 ? " in " + Namespace : string.Empty)}"
        : $"{Verb} {Path}";

    [GeneratedRegex("^metadata\\.name==?(.*)$")]
    private static partial Regex NameTerm();
}
