using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>Accept header negotiation: JSON, or the meta.k8s.io transformations (Table, PartialObjectMetadata[List]).</summary>
internal static class Negotiation
{
    public static (ResponseFormat Format, string MetaVersion) Negotiate(string? accept, bool list, bool watch = false)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return (ResponseFormat.Json, "v1");
        }

        foreach (var entry in accept.Split(','))
        {
            var parts = entry.Split(';').Select(p => p.Trim()).ToArray();
            var mediaType = parts[0].ToLowerInvariant();
            if (mediaType is not ("application/json" or "*/*" or "application/*" or "application/yaml" or "application/json-seq"))
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (!parameters.TryGetValue("as", out var asKind))
            {
                return (ResponseFormat.Json, "v1");
            }

            parameters.TryGetValue("g", out var group);
            parameters.TryGetValue("v", out var version);
            if (group != "meta.k8s.io" || version is not ("v1" or "v1beta1"))
            {
                continue;
            }

            switch (asKind)
            {
                case "Table":
                    return (ResponseFormat.Table, version);
                case "PartialObjectMetadata" when !list || watch:
                    return (ResponseFormat.PartialObjectMetadata, version);
                case "PartialObjectMetadataList" when list && !watch:
                    return (ResponseFormat.PartialObjectMetadataList, version);
            }
        }

        throw ApiException.NotAcceptable("only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf");
    }
}
