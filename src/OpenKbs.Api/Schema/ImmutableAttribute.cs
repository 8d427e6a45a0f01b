namespace OpenKbs.Api.Schema;

/// <summary>
/// The value cannot change once written: a CEL transition rule <c>self == oldSelf</c> on the property.
/// For an optional property this applies when both the old and the new object carry it.
/// </summary>
/// <param name="message">What the user reads when they try to change it.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class ImmutableAttribute(string message) : Attribute
{
    public string Message { get; } = message;
}
