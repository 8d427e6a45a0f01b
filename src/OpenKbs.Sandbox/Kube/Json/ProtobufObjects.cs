using System.Text;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>
/// Decodes the Kubernetes protobuf wire format (magic "k8s\0" + runtime.Unknown envelope) of the built-in kinds kubectl
/// sends as protobuf (kubectl create namespace/configmap/secret; events and leases from Go clients) into JSON objects.
/// Only request bodies are decoded; responses are always JSON (clients accept it).
/// </summary>
internal static class ProtobufObjects
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    private enum Kind
    {
        String,
        Bytes,
        Int64,
        Int32,
        Bool,
        Message,
        MapString,
        MapBytes,
        Time,
        MicroTime,
    }

    private sealed record Field(string Name, Kind Kind, bool Repeated = false, Dictionary<int, Field>? Message = null);

    private static readonly Dictionary<int, Field> TimeFields = [];

    private static readonly Dictionary<int, Field> OwnerReference = new()
    {
        [1] = new("kind", Kind.String),
        [3] = new("name", Kind.String),
        [4] = new("uid", Kind.String),
        [5] = new("apiVersion", Kind.String),
        [6] = new("controller", Kind.Bool),
        [7] = new("blockOwnerDeletion", Kind.Bool),
    };

    private static readonly Dictionary<int, Field> ObjectMeta = new()
    {
        [1] = new("name", Kind.String),
        [2] = new("generateName", Kind.String),
        [3] = new("namespace", Kind.String),
        [5] = new("uid", Kind.String),
        [6] = new("resourceVersion", Kind.String),
        [7] = new("generation", Kind.Int64),
        [8] = new("creationTimestamp", Kind.Time),
        [9] = new("deletionTimestamp", Kind.Time),
        [10] = new("deletionGracePeriodSeconds", Kind.Int64),
        [11] = new("labels", Kind.MapString),
        [12] = new("annotations", Kind.MapString),
        [13] = new("ownerReferences", Kind.Message, true, OwnerReference),
        [14] = new("finalizers", Kind.String, true),
    };

    private static readonly Dictionary<int, Field> ObjectReference = new()
    {
        [1] = new("kind", Kind.String),
        [2] = new("namespace", Kind.String),
        [3] = new("name", Kind.String),
        [4] = new("uid", Kind.String),
        [5] = new("apiVersion", Kind.String),
        [6] = new("resourceVersion", Kind.String),
        [7] = new("fieldPath", Kind.String),
    };

    private static readonly Dictionary<int, Field> ResourceAttributes = new()
    {
        [1] = new("namespace", Kind.String),
        [2] = new("verb", Kind.String),
        [3] = new("group", Kind.String),
        [4] = new("version", Kind.String),
        [5] = new("resource", Kind.String),
        [6] = new("subresource", Kind.String),
        [7] = new("name", Kind.String),
    };

    private static readonly Dictionary<int, Field> NonResourceAttributes = new()
    {
        [1] = new("path", Kind.String),
        [2] = new("verb", Kind.String),
    };

    private static readonly Dictionary<string, Dictionary<int, Field>> Kinds = new(StringComparer.Ordinal)
    {
        ["SelfSubjectAccessReview"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
            [2] = new("spec", Kind.Message, false, new()
            {
                [1] = new("resourceAttributes", Kind.Message, false, ResourceAttributes),
                [2] = new("nonResourceAttributes", Kind.Message, false, NonResourceAttributes),
            }),
        },
        ["SubjectAccessReview"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
            [2] = new("spec", Kind.Message, false, new()
            {
                [1] = new("resourceAttributes", Kind.Message, false, ResourceAttributes),
                [2] = new("nonResourceAttributes", Kind.Message, false, NonResourceAttributes),
                [3] = new("user", Kind.String),
                [4] = new("groups", Kind.String, true),
                [6] = new("uid", Kind.String),
            }),
        },
        ["SelfSubjectRulesReview"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
            [2] = new("spec", Kind.Message, false, new() { [1] = new("namespace", Kind.String) }),
        },
        ["SelfSubjectReview"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
        },
        ["ConfigMap"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
            [2] = new("data", Kind.MapString),
            [3] = new("binaryData", Kind.MapBytes),
            [4] = new("immutable", Kind.Bool),
        },
        ["Secret"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
            [2] = new("data", Kind.MapBytes),
            [3] = new("type", Kind.String),
            [4] = new("stringData", Kind.MapString),
            [5] = new("immutable", Kind.Bool),
        },
        ["Namespace"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
            [2] = new("spec", Kind.Message, false, new() { [1] = new("finalizers", Kind.String, true) }),
            [3] = new("status", Kind.Message, false, new() { [1] = new("phase", Kind.String) }),
        },
        ["Event"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
            [2] = new("involvedObject", Kind.Message, false, ObjectReference),
            [3] = new("reason", Kind.String),
            [4] = new("message", Kind.String),
            [5] = new("source", Kind.Message, false, new() { [1] = new("component", Kind.String), [2] = new("host", Kind.String) }),
            [6] = new("firstTimestamp", Kind.Time),
            [7] = new("lastTimestamp", Kind.Time),
            [8] = new("count", Kind.Int32),
            [9] = new("type", Kind.String),
            [10] = new("eventTime", Kind.MicroTime),
            [11] = new("series", Kind.Message, false, new() { [1] = new("count", Kind.Int32), [2] = new("lastObservedTime", Kind.MicroTime) }),
            [12] = new("action", Kind.String),
            [13] = new("related", Kind.Message, false, ObjectReference),
            [14] = new("reportingComponent", Kind.String),
            [15] = new("reportingInstance", Kind.String),
        },
        ["Lease"] = new()
        {
            [1] = new("metadata", Kind.Message, false, ObjectMeta),
            [2] = new("spec", Kind.Message, false, new()
            {
                [1] = new("holderIdentity", Kind.String),
                [2] = new("leaseDurationSeconds", Kind.Int32),
                [3] = new("acquireTime", Kind.MicroTime),
                [4] = new("renewTime", Kind.MicroTime),
                [5] = new("leaseTransitions", Kind.Int32),
                [6] = new("strategy", Kind.String),
                [7] = new("preferredHolder", Kind.String),
            }),
        },
    };

    /// <summary>Decodes a protobuf-encoded object. Throws <see cref="FormatException"/> for unknown kinds or malformed data.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || !data[..4].SequenceEqual(Magic))
        {
            throw new FormatException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        var reader = new Reader(data[4..].ToArray());
        string apiVersion = string.Empty, kind = string.Empty;
        byte[] raw = [];
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            switch (number)
            {
                case 1:
                    var typeMeta = new Reader(reader.LengthDelimited());
                    while (!typeMeta.End)
                    {
                        var (n, w) = typeMeta.Tag();
                        if (n == 1)
                        {
                            apiVersion = Encoding.UTF8.GetString(typeMeta.LengthDelimited());
                        }
                        else if (n == 2)
                        {
                            kind = Encoding.UTF8.GetString(typeMeta.LengthDelimited());
                        }
                        else
                        {
                            typeMeta.Skip(w);
                        }
                    }

                    break;
                case 2:
                    raw = reader.LengthDelimited();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (!Kinds.TryGetValue(kind, out var schema))
        {
            throw new FormatException($"protobuf encoding of kind \"{kind}\" is not supported by this server; send application/json");
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (k, v) in DecodeMessage(raw, schema))
        {
            obj[k] = v?.DeepClone();
        }

        return obj;
    }

    private static JsonObject DecodeMessage(byte[] data, Dictionary<int, Field> schema)
    {
        var obj = new JsonObject();
        var reader = new Reader(data);
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            if (!schema.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }

            JsonNode? value;
            switch (field.Kind)
            {
                case Kind.String:
                    value = Encoding.UTF8.GetString(reader.LengthDelimited());
                    break;
                case Kind.Bytes:
                    value = Convert.ToBase64String(reader.LengthDelimited());
                    break;
                case Kind.Int64:
                    value = (long)reader.Varint();
                    break;
                case Kind.Int32:
                    value = (int)reader.Varint();
                    break;
                case Kind.Bool:
                    value = reader.Varint() != 0;
                    break;
                case Kind.Time or Kind.MicroTime:
                    value = DecodeTime(reader.LengthDelimited(), field.Kind == Kind.MicroTime);
                    break;
                case Kind.MapString or Kind.MapBytes:
                {
                    var (key, entry) = DecodeMapEntry(reader.LengthDelimited(), field.Kind == Kind.MapBytes);
                    var map = obj[field.Name] as JsonObject ?? new JsonObject();
                    map[key] = entry;
                    obj[field.Name] = map;
                    continue;
                }

                default:
                    value = DecodeMessage(reader.LengthDelimited(), field.Message ?? TimeFields);
                    break;
            }

            if (!field.Repeated && value is JsonValue scalar && IsZero(scalar))
            {
                continue;
            }

            if (field.Repeated)
            {
                var array = obj[field.Name] as JsonArray ?? new JsonArray();
                array.Add(value);
                obj[field.Name] = array;
            }
            else
            {
                obj[field.Name] = value;
            }
        }

        return obj;
    }

    private static bool IsZero(JsonValue v) =>
        (v.TryGetValue<string>(out var s) && s.Length == 0) || (v.TryGetValue<bool>(out var b) && !b) || (v.TryGetValue<long>(out var l) && l == 0) || (v.TryGetValue<int>(out var i) && i == 0);

    private static (string Key, string Value) DecodeMapEntry(byte[] data, bool bytesValue)
    {
        var reader = new Reader(data);
        string key = string.Empty, value = string.Empty;
        while (!reader.End)
        {
            var (n, w) = reader.Tag();
            if (n == 1)
            {
                key = Encoding.UTF8.GetString(reader.LengthDelimited());
            }
            else if (n == 2)
            {
                var bytes = reader.LengthDelimited();
                value = bytesValue ? Convert.ToBase64String(bytes) : Encoding.UTF8.GetString(bytes);
            }
            else
            {
                reader.Skip(w);
            }
        }

        return (key, value);
    }

    private static string DecodeTime(byte[] data, bool micro)
    {
        var reader = new Reader(data);
        long seconds = 0, nanos = 0;
        while (!reader.End)
        {
            var (n, w) = reader.Tag();
            if (n == 1)
            {
                seconds = (long)reader.Varint();
            }
            else if (n == 2)
            {
                nanos = (long)reader.Varint();
            }
            else
            {
                reader.Skip(w);
            }
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return micro ? KubeJson.Rfc3339Micro(time) : KubeJson.Rfc3339(time);
    }

    private sealed class Reader(byte[] data)
    {
        private int _pos;

        public bool End => _pos >= data.Length;

        public (int Number, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong result = 0;
            var shift = 0;
            while (true)
            {
                if (_pos >= data.Length)
                {
                    throw new FormatException("truncated protobuf varint");
                }

                var b = data[_pos++];
                result |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }

                shift += 7;
                if (shift > 63)
                {
                    throw new FormatException("protobuf varint too long");
                }
            }
        }

        public byte[] LengthDelimited()
        {
            var length = (int)Varint();
            if (length < 0 || _pos + length > data.Length)
            {
                throw new FormatException("truncated protobuf field");
            }

            var slice = data.AsSpan(_pos, length).ToArray();
            _pos += length;
            return slice;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _pos += 8;
                    break;
                case 2:
                    LengthDelimited();
                    break;
                case 5:
                    _pos += 4;
                    break;
                default:
                    throw new FormatException($"unsupported protobuf wire type {wire}");
            }
        }
    }
}
