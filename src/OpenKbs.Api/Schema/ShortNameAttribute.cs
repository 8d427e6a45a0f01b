namespace OpenKbs.Api.Schema;

/// <summary>A short name of the resource for kubectl (<c>kubectl get ca</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ShortNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
