namespace OpenKbs.Api;

/// <summary>Finalizer names.</summary>
public static class Finalizers
{
    /// <summary>Held by every OpenKBS object until its deletion policy has been carried out.</summary>
    public const string Default = "openkbs.com/finalizer";
}
