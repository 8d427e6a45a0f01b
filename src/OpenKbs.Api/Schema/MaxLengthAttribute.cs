namespace OpenKbs.Api.Schema;

/// <summary>The longest allowed string. Bound every string a CEL rule reads.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
