namespace OpenKbs.Api.Schema;

/// <summary>
/// The value the API server fills in when the field is absent (OpenAPI <c>default</c>). A string, number, boolean,
/// C# enum value or string array. Keep the C# property initializer equal to it (a test checks). Every schema default
/// shows up as a difference in Argo CD unless ignored: see docs/api.md.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
