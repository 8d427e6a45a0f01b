using k8s;
using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>
/// Writes core/v1 Events on objects (source component <c>openkbs-operator</c>). Non-blocking: events are queued and sent
/// in the background; identical events (same object, type, reason and message) within the aggregation window update the
/// count of one Event instead of creating new ones. Best effort: a full queue drops events (logged).
/// Never put secrets in reason or message.
/// </summary>
public interface IEventRecorder
{
    void Record(IKubernetesObject<V1ObjectMeta> involvedObject, EventType type, string reason, string message);
}
