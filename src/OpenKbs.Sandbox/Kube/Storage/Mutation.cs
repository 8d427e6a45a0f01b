using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>
/// The decision of a read-modify-write: nothing (return the current object), put <see cref="Object"/>, or delete
/// (the DELETED event carries <see cref="Object"/> if given, else the current object, stamped with the deletion's resourceVersion).
/// </summary>
internal readonly record struct Mutation(MutationKind Kind, JsonObject? Object)
{
    public static Mutation None => new(MutationKind.None, null);

    public static Mutation Put(JsonObject obj) => new(MutationKind.Put, obj);

    public static Mutation Delete(JsonObject? finalState = null) => new(MutationKind.Delete, finalState);
}
