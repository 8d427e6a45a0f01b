using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>Converts objects between a served version and the storage version of the same resource.</summary>
internal interface IVersionConverter
{
    JsonObject ToStorage(JsonObject obj);

    JsonObject FromStorage(JsonObject obj);

    /// <summary>Maps a field selector label of the served version to the storage version's label.</summary>
    string FieldLabelToStorage(string label) => label;
}
