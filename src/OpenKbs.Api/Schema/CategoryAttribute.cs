namespace OpenKbs.Api.Schema;

/// <summary>A category the resource belongs to (<c>kubectl get openkbs</c> lists every kind in it).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CategoryAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
