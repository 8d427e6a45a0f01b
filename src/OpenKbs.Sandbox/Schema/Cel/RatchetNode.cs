using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// common.CorrelatedObject for CEL ratcheting: the old value correlated with the current node (by key for objects, by
/// key for map lists, by index for lists without a list type, never for sets and atomic lists) and the nearest
/// correlated ancestor. Errors of rules that do not use oldSelf are dropped when the node (or, if it cannot be
/// correlated, its nearest correlated ancestor) is unchanged.
/// </summary>
internal sealed class RatchetNode
{
    private static readonly RatchetNode Empty = new(null, null, false, null, null);

    private readonly JsonNode? _value;
    private readonly JsonNode? _old;
    private readonly bool _correlated;
    private readonly RatchetNode? _nearestParent;
    private readonly SchemaNode? _schema;
    private bool? _equal;
    private ListCorrelation? _list;

    private RatchetNode(JsonNode? value, JsonNode? old, bool correlated, RatchetNode? nearestParent, SchemaNode? schema)
    {
        _value = value;
        _old = old;
        _correlated = correlated;
        _nearestParent = nearestParent;
        _schema = schema;
    }

    public static RatchetNode Root(JsonNode? value, JsonNode? old, SchemaNode schema) =>
        old is null ? Empty : new RatchetNode(value, old, true, null, schema);

    public bool ShouldRatchet() => _correlated ? Equal() : _nearestParent?.Equal() ?? false;

    private bool Equal() => _equal ??= JsonNode.DeepEquals(_value, _old);

    public RatchetNode Key(string key, JsonNode? value, SchemaNode? schema, bool isRoot)
    {
        if (!_correlated)
        {
            return this;
        }

        if (isRoot && key is "apiVersion" or "kind")
        {
            return Empty;
        }

        return _old is JsonObject old && old.TryGetPropertyValue(key, out var oldValue)
            ? new RatchetNode(value, oldValue, true, this, schema)
            : new RatchetNode(value, null, false, this, schema);
    }

    public RatchetNode Index(JsonArray current, int index, SchemaNode? itemSchema)
    {
        if (!_correlated)
        {
            return this;
        }

        _list ??= _schema is null ? null : new ListCorrelation(_schema, _old);
        return _list is not null && _list.TryGetForRatcheting(current, index, out var oldItem)
            ? new RatchetNode(current[index], oldItem, true, this, itemSchema)
            : new RatchetNode(current[index], null, false, this, itemSchema);
    }
}
