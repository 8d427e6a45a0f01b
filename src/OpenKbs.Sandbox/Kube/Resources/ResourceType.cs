using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>One served group/version/resource: names for discovery, behaviour (strategy), storage and table.</summary>
internal sealed class ResourceType
{
    public static readonly IReadOnlyList<string> AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public required string ListKind { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = AllVerbs;

    /// <summary>Served subresources besides status (e.g. namespaces/finalize).</summary>
    public IReadOnlyList<string> ExtraSubresources { get; init; } = [];

    public required bool HasStatus { get; init; }

    public required ObjectStore Store { get; init; }

    public required ResourceStrategy Strategy { get; init; }

    public required TableConverter Table { get; init; }

    /// <summary>Null when this version is the storage version; otherwise converts to and from it.</summary>
    public IVersionConverter? Converter { get; init; }

    /// <summary>The schema of this version (custom resources), used for defaulting, pruning and validation.</summary>
    public ISchemaValidator? Schema { get; init; }

    /// <summary>The raw openAPIV3Schema of this version (custom resources), used by server-side apply for list types.</summary>
    public JsonNode? OpenApiSchema { get; init; }

    /// <summary>Extra field selectors of custom resources (CRD selectableFields): label ("spec.color") and path.</summary>
    public IReadOnlyList<(string Label, KubeJsonPath Path)> SelectableFields { get; init; } = [];

    /// <summary>The CRD that defines this resource (custom resources only).</summary>
    public string? CrdName { get; init; }

    /// <summary>True when this type is served from a CRD (custom resource semantics).</summary>
    public bool IsCustom => CrdName is not null;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    /// <summary>"plural.group" (or "plural" for the core group): how errors name the resource.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string StorageKey(string? ns, string name) => Namespaced ? $"{ns}/{name}" : name;

    public override string ToString() => $"{ApiVersion}/{Plural}";
}
