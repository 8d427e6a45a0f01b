using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>The "None" conversion strategy of CRDs: only apiVersion changes between versions.</summary>
internal sealed class ApiVersionConverter(string servedApiVersion, string storageApiVersion) : IVersionConverter
{
    public JsonObject ToStorage(JsonObject obj)
    {
        obj["apiVersion"] = storageApiVersion;
        return obj;
    }

    public JsonObject FromStorage(JsonObject obj)
    {
        obj["apiVersion"] = servedApiVersion;
        return obj;
    }
}
