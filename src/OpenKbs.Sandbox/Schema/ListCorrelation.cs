using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// Finds the old element that corresponds to a new list element: by key for x-kubernetes-list-type map (celopenapi
/// MapList), by index for lists without a list type, never for sets and atomic lists.
/// </summary>
internal sealed class ListCorrelation
{
    private readonly SchemaNode _schema;
    private readonly JsonArray? _old;
    private Dictionary<string, JsonNode?>? _byKey;

    public ListCorrelation(SchemaNode schema, JsonNode? old)
    {
        _schema = schema;
        _old = old as JsonArray;
    }

    /// <summary>Correlation as the OpenAPI ratcheting validator does it (index for unset list types).</summary>
    public bool TryGetForRatcheting(JsonArray current, int index, out JsonNode? old)
    {
        old = null;
        if (_old is null || index >= current.Count)
        {
            return false;
        }

        switch (_schema.ListType)
        {
            case "map":
                return TryGetByKey(current[index], out old);
            case "set":
            case "atomic":
                return false;
            default:
                if (index >= _old.Count)
                {
                    return false;
                }

                old = _old[index];
                return true;
        }
    }

    /// <summary>Correlation for CEL's oldSelf: only map-type lists correlate their items.</summary>
    public bool TryGetForTransitionRules(JsonNode? element, out JsonNode? old)
    {
        old = null;
        return _old is not null && _schema.ListType == "map" && TryGetByKey(element, out old);
    }

    private bool TryGetByKey(JsonNode? element, out JsonNode? old)
    {
        old = null;
        if (_old is null || element is not JsonObject)
        {
            return false;
        }

        _byKey ??= BuildIndex(_old);
        return _byKey.TryGetValue(KeyOf(element), out old);
    }

    private Dictionary<string, JsonNode?> BuildIndex(JsonArray old)
    {
        var index = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var element in old)
        {
            if (element is JsonObject)
            {
                index.TryAdd(KeyOf(element), element);
            }
        }

        return index;
    }

    private string KeyOf(JsonNode? element)
    {
        var keys = new JsonArray();
        foreach (var key in _schema.ListMapKeys)
        {
            var value = (element as JsonObject)?[key] ?? _schema.Items?.Property(key)?.Default;
            keys.Add(value?.DeepClone());
        }

        return keys.ToJsonString();
    }
}
