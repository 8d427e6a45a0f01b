namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>The value of url(string) in Kubernetes CEL (a parsed absolute URI or absolute path).</summary>
internal sealed class CelUrl(Uri uri, string original)
{
    public Uri Uri { get; } = uri;

    public string Original { get; } = original;
}
