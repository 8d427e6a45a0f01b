namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>
/// A parsed resource path (like k8s.io/apiserver's RequestInfo): /api/v1/[namespaces/NS/]RES[/NAME[/SUB]] or
/// /apis/GROUP/VERSION/... ; `namespaces/NAME/status|finalize` addresses the namespace's own subresources.
/// </summary>
internal sealed record RequestTarget(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    public static RequestTarget? Parse(string path)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.None);
        if (parts.Length == 0)
        {
            return null;
        }

        int index;
        string group;
        string version;
        if (parts[0] == "api" && parts.Length >= 3)
        {
            group = string.Empty;
            version = parts[1];
            index = 2;
        }
        else if (parts[0] == "apis" && parts.Length >= 4)
        {
            group = parts[1];
            version = parts[2];
            index = 3;
        }
        else
        {
            return null;
        }

        var rest = parts[index..];
        if (rest.Any(p => p.Length == 0))
        {
            return null;
        }

        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
            {
                rest = rest[2..];
            }
            else
            {
                ns = null;
            }
        }

        return rest.Length switch
        {
            1 => new RequestTarget(group, version, ns, rest[0], null, null),
            2 => new RequestTarget(group, version, ns, rest[0], rest[1], null),
            3 => new RequestTarget(group, version, ns, rest[0], rest[1], rest[2]),
            _ => null,
        };
    }
}
