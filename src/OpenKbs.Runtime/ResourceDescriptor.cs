using System.Reflection;
using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>Where a kind lives in the Kubernetes API: group, version, plural resource name, kind and scope.</summary>
public sealed record ResourceDescriptor
{
    /// <summary>API group; empty for the core group (<c>/api/v1</c>).</summary>
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>Plural resource name used in URLs, e.g. <c>projects</c>.</summary>
    public required string Plural { get; init; }

    public required string Kind { get; init; }

    /// <summary>True for namespaced kinds (the default), false for cluster-scoped ones.</summary>
    public bool Namespaced { get; init; } = true;

    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => string.IsNullOrEmpty(Group) ? Version : $"{Group}/{Version}";

    /// <summary>Reads group, version, kind and plural from the type's <see cref="KubernetesEntityAttribute"/>.</summary>
    public static ResourceDescriptor For<T>(bool namespaced = true) => For(typeof(T), namespaced);

    /// <inheritdoc cref="For{T}(bool)"/>
    public static ResourceDescriptor For(Type type, bool namespaced = true)
    {
        ArgumentNullException.ThrowIfNull(type);
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} has no [KubernetesEntity] attribute; build the ResourceDescriptor explicitly.");
        if (string.IsNullOrEmpty(entity.Kind) || string.IsNullOrEmpty(entity.ApiVersion) || string.IsNullOrEmpty(entity.PluralName))
        {
            throw new InvalidOperationException($"[KubernetesEntity] on {type.Name} must set Kind, ApiVersion and PluralName.");
        }

        return new ResourceDescriptor
        {
            Group = entity.Group ?? string.Empty,
            Version = entity.ApiVersion,
            Plural = entity.PluralName,
            Kind = entity.Kind,
            Namespaced = namespaced,
        };
    }

    public override string ToString() => $"{Plural}.{(string.IsNullOrEmpty(Group) ? "core" : Group)}/{Version}";
}
