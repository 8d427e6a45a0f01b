using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>
/// The outcome of a write: the object to answer with (stored bytes, or a dry-run object), whether it was created, and
/// for deletions whether the object is gone (then the answer is a Status) or only marked for deletion.
/// </summary>
internal sealed record WriteResult(StoredObject? Stored, JsonObject? Object, bool Created, bool Deleted);
