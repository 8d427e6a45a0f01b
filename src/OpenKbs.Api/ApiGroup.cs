namespace OpenKbs.Api;

/// <summary>The API group, version and category of every OpenKBS resource.</summary>
public static class ApiGroup
{
    /// <summary>The API group: <c>openkbs.com</c>.</summary>
    public const string Name = "openkbs.com";

    /// <summary>The served and stored version: <c>v1alpha1</c>.</summary>
    public const string Version = "v1alpha1";

    /// <summary><c>openkbs.com/v1alpha1</c>, the <c>apiVersion</c> of every object.</summary>
    public const string ApiVersion = Name + "/" + Version;

    /// <summary>The kubectl category of all four kinds: <c>kubectl get openkbs</c>.</summary>
    public const string Category = "openkbs";
}
