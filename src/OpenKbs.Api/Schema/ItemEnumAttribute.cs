namespace OpenKbs.Api.Schema;

/// <summary>The allowed values of each string item of a list property.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemEnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
