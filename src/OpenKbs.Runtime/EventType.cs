namespace OpenKbs.Runtime;

/// <summary>The <c>type</c> of a Kubernetes Event.</summary>
public enum EventType
{
    Normal,
    Warning,
}
