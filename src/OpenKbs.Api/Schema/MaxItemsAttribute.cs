namespace OpenKbs.Api.Schema;

/// <summary>The most items a list may hold. Bound every list a CEL rule iterates.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
