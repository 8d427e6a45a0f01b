namespace OpenKbs.Api.Schema;

/// <summary>The most entries a map may hold.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxPropertiesAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
