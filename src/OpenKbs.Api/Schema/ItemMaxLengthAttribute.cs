namespace OpenKbs.Api.Schema;

/// <summary>The longest allowed string item of a list, or string value of a map.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemMaxLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
