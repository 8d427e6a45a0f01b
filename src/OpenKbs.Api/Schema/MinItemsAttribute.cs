namespace OpenKbs.Api.Schema;

/// <summary>The fewest items a list may hold.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
