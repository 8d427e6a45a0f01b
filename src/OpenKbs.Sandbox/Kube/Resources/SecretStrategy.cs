using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>Secrets: stringData folds into data (base64), type defaults to Opaque and is immutable; field selector `type`.</summary>
internal sealed class SecretStrategy : ResourceStrategy
{
    public override IReadOnlyList<string> FieldLabels { get; } = ["type"];

    public override void PrepareForCreate(JsonObject obj, ResourceType type) => Normalize(obj);

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceType type) => Normalize(obj);

    public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
    {
        if (old is not null && KubeJson.GetString(old, "type") is { } oldType && KubeJson.GetString(obj, "type") != oldType)
        {
            errors.Add(KubeFieldError.Invalid("type", obj["type"], "field is immutable"));
        }

        if (obj["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    try
                    {
                        _ = Convert.FromBase64String(s);
                    }
                    catch (FormatException)
                    {
                        errors.Add(KubeFieldError.Invalid($"data[{key}]", value, "illegal base64 data"));
                    }
                }
            }
        }

        if (obj["immutable"] is JsonValue imm && old is not null && old["immutable"] is JsonValue oldImm && oldImm.GetValue<bool>()
            && !JsonNode.DeepEquals(obj["data"], old["data"]))
        {
            _ = imm;
            errors.Add(KubeFieldError.Forbidden("data", "field is immutable when `immutable` is set"));
        }
    }

    private static void Normalize(JsonObject obj)
    {
        if (obj["stringData"] is JsonObject stringData)
        {
            var data = obj["data"] as JsonObject ?? new JsonObject();
            obj["data"] = data;
            foreach (var (key, value) in stringData)
            {
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
            }
        }

        obj.Remove("stringData");
        if (string.IsNullOrEmpty(KubeJson.GetString(obj, "type")))
        {
            obj["type"] = "Opaque";
        }
    }

    public static TableConverter CreateTable() => new BuiltInTable(
        BuiltInTable.NameColumn,
        ("Type", "string", "The type of the secret", 0, (o, _) => JsonValue.Create(KubeJson.GetString(o, "type") ?? string.Empty)),
        ("Data", "string", "The number of entries in the secret", 0, (o, _) => JsonValue.Create((long)((o["data"] as JsonObject)?.Count ?? 0))),
        BuiltInTable.AgeColumn);
}
