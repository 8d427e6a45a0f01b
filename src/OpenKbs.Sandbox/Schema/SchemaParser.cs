using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// Parses a CRD version's openAPIV3Schema into <see cref="SchemaNode"/>s and checks that it is structural and
/// acceptable to apiextensions-apiserver (types everywhere, no forbidden keywords, well-formed list types, metadata
/// restricted to name/generateName, ...). Problems are reported as field errors with CRD paths.
/// </summary>
internal sealed class SchemaParser(List<FieldError> errors)
{
    private enum Level
    {
        Root,
        Item,
        Field,
    }

    private static readonly HashSet<string> ValidTypes = new(StringComparer.Ordinal) { "object", "array", "string", "integer", "number", "boolean" };

    private static readonly string[] UnsupportedKeywords = ["$ref", "patternProperties", "dependencies", "additionalItems", "definitions", "id", "$schema"];

    public SchemaNode ParseRoot(JsonNode schema, string path)
    {
        if (schema is not JsonObject obj)
        {
            errors.Add(FieldError.Invalid(path, schema, "must be an object"));
            return new SchemaNode { SchemaPath = path, Raw = [] };
        }

        return Parse(obj, path, Level.Root, nested: false);
    }

    private SchemaNode Parse(JsonObject obj, string path, Level level, bool nested)
    {
        var node = new SchemaNode { SchemaPath = path, Raw = obj };
        foreach (var keyword in UnsupportedKeywords)
        {
            if (obj.ContainsKey(keyword))
            {
                errors.Add(FieldError.Forbidden(FieldPaths.Child(path, keyword), $"{keyword} is not supported"));
            }
        }

        node.Type = String(obj, "type", path);
        if (node.Type is not null && !ValidTypes.Contains(node.Type))
        {
            errors.Add(FieldError.NotSupported(FieldPaths.Child(path, "type"), JsonValue.Create(node.Type), ["array", "boolean", "integer", "number", "object", "string"]));
        }

        node.Format = String(obj, "format", path);
        node.Description = String(obj, "description", path);
        node.Nullable = Bool(obj, "nullable", path) ?? false;
        if (obj.TryGetPropertyValue("default", out var def))
        {
            node.HasDefault = true;
            node.Default = def?.DeepClone();
        }

        node.Maximum = Number(obj, "maximum", path);
        node.Minimum = Number(obj, "minimum", path);
        node.ExclusiveMaximum = Bool(obj, "exclusiveMaximum", path) ?? false;
        node.ExclusiveMinimum = Bool(obj, "exclusiveMinimum", path) ?? false;
        node.MultipleOf = Number(obj, "multipleOf", path);
        node.MaxLength = Integer(obj, "maxLength", path);
        node.MinLength = Integer(obj, "minLength", path);
        node.MaxItems = Integer(obj, "maxItems", path);
        node.MinItems = Integer(obj, "minItems", path);
        node.MaxProperties = Integer(obj, "maxProperties", path);
        node.MinProperties = Integer(obj, "minProperties", path);
        node.UniqueItems = Bool(obj, "uniqueItems", path) ?? false;
        if (node.UniqueItems)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "uniqueItems"), "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        if (node.MultipleOf is <= 0)
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(path, "multipleOf"), obj["multipleOf"]?.DeepClone(), "must be positive"));
        }

        node.Pattern = String(obj, "pattern", path);
        if (node.Pattern is not null)
        {
            if (GoRegex.TryCompile(node.Pattern, out var regex, out var error))
            {
                node.PatternRegex = regex;
            }
            else
            {
                errors.Add(FieldError.Invalid(FieldPaths.Child(path, "pattern"), JsonValue.Create(node.Pattern), $"must be a valid regular expression, but isn't: {error}"));
            }
        }

        if (obj["enum"] is JsonArray enumValues)
        {
            node.Enum = (JsonArray)enumValues.DeepClone();
        }
        else if (obj.ContainsKey("enum"))
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(path, "enum"), obj["enum"]?.DeepClone(), "must be an array"));
        }

        if (obj["required"] is JsonArray required)
        {
            foreach (var r in required)
            {
                if (JsonKind.AsString(r) is { } name)
                {
                    node.Required.Add(name);
                }
            }
        }

        ParseExtensions(obj, node, path);

        if (obj["properties"] is JsonObject properties)
        {
            node.Properties = new OrderedDictionary<string, SchemaNode>(StringComparer.Ordinal);
            foreach (var (name, value) in properties)
            {
                var childPath = FieldPaths.Key(FieldPaths.Child(path, "properties"), name);
                if (value is JsonObject child)
                {
                    node.Properties[name] = Parse(child, childPath, Level.Field, nested);
                }
                else
                {
                    errors.Add(FieldError.Invalid(childPath, value?.DeepClone(), "must be an object"));
                }
            }
        }

        switch (obj["additionalProperties"])
        {
            case JsonObject additional:
                node.AdditionalProperties = Parse(additional, FieldPaths.Child(path, "additionalProperties"), Level.Field, nested);
                break;
            case JsonValue flag when flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                node.AdditionalPropertiesAllowed = flag.GetValue<bool>();
                if (node.AdditionalPropertiesAllowed == false)
                {
                    errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "additionalProperties"), "additionalProperties cannot be set to false"));
                }

                break;
        }

        if (node.Properties is { Count: > 0 } && (node.AdditionalProperties is not null || node.AdditionalPropertiesAllowed == true))
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "additionalProperties"), "additionalProperties and properties are mutual exclusive"));
        }

        switch (obj["items"])
        {
            case JsonObject items:
                node.Items = Parse(items, FieldPaths.Child(path, "items"), Level.Item, nested);
                break;
            case JsonArray:
                errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "items"), "items must be a schema object and not an array"));
                break;
        }

        ParseJunctors(obj, node, path, level);

        if (nested)
        {
            CheckNested(obj, node, path);
        }
        else
        {
            CheckStructural(node, path, level);
        }

        return node;
    }

    private void ParseExtensions(JsonObject obj, SchemaNode node, string path)
    {
        var preserve = Bool(obj, "x-kubernetes-preserve-unknown-fields", path);
        if (preserve == false)
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(path, "x-kubernetes-preserve-unknown-fields"), JsonValue.Create(false), "must be true or undefined"));
        }

        node.PreserveUnknownFields = preserve == true;
        node.EmbeddedResource = Bool(obj, "x-kubernetes-embedded-resource", path) ?? false;
        node.IntOrString = Bool(obj, "x-kubernetes-int-or-string", path) ?? false;
        node.ListType = String(obj, "x-kubernetes-list-type", path);
        node.MapType = String(obj, "x-kubernetes-map-type", path);
        if (obj["x-kubernetes-list-map-keys"] is JsonArray keys)
        {
            foreach (var key in keys)
            {
                if (JsonKind.AsString(key) is { } k)
                {
                    node.ListMapKeys.Add(k);
                }
            }
        }

        if (obj["x-kubernetes-validations"] is JsonArray rules)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                var rulePath = FieldPaths.Index(FieldPaths.Child(path, "x-kubernetes-validations"), i);
                if (rules[i] is not JsonObject rule)
                {
                    errors.Add(FieldError.Invalid(rulePath, rules[i]?.DeepClone(), "must be an object"));
                    continue;
                }

                node.Rules.Add(new ValidationRule
                {
                    Rule = JsonKind.AsString(rule["rule"]) ?? "",
                    Message = JsonKind.AsString(rule["message"]) ?? "",
                    MessageExpression = JsonKind.AsString(rule["messageExpression"]) ?? "",
                    Reason = JsonKind.AsString(rule["reason"]),
                    FieldPath = JsonKind.AsString(rule["fieldPath"]) ?? "",
                    OptionalOldSelf = rule["optionalOldSelf"] is JsonValue o && o.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? o.GetValue<bool>() : null,
                    Raw = rule.DeepClone(),
                });
            }
        }
    }

    private void ParseJunctors(JsonObject obj, SchemaNode node, string path, Level level)
    {
        foreach (var (keyword, list) in new[] { ("allOf", node.AllOf), ("anyOf", node.AnyOf), ("oneOf", node.OneOf) })
        {
            if (obj[keyword] is not JsonArray array)
            {
                continue;
            }

            for (var i = 0; i < array.Count; i++)
            {
                var childPath = FieldPaths.Index(FieldPaths.Child(path, keyword), i);
                if (array[i] is JsonObject child)
                {
                    list.Add(Parse(child, childPath, level, nested: true));
                }
            }
        }

        if (obj["not"] is JsonObject not)
        {
            node.Not = Parse(not, FieldPaths.Child(path, "not"), level, nested: true);
        }
    }

    /// <summary>Inside allOf/anyOf/oneOf/not only value validations are allowed (validateNestedValueValidation).</summary>
    private void CheckNested(JsonObject obj, SchemaNode node, string path)
    {
        var intOrStringBranch = node.Type is "integer" or "string" && obj.Count == 1;
        if (node.Type is not null && !intOrStringBranch)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "type"), "must be empty to be structural"));
        }

        if (obj.ContainsKey("additionalProperties"))
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "additionalProperties"), "must be undefined to be structural"));
        }

        if (node.HasDefault)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "default"), "must be undefined to be structural"));
        }

        if (obj.ContainsKey("title"))
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "title"), "must be empty to be structural"));
        }

        if (node.Description is { Length: > 0 })
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "description"), "must be empty to be structural"));
        }

        if (node.Nullable)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "nullable"), "must be false to be structural"));
        }

        if (node.PreserveUnknownFields)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "x-kubernetes-preserve-unknown-fields"), "must be false to be structural"));
        }

        if (node.EmbeddedResource)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "x-kubernetes-embedded-resource"), "must be false to be structural"));
        }

        if (node.IntOrString)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "x-kubernetes-int-or-string"), "must be false to be structural"));
        }

        if (node.ListMapKeys.Count > 0)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "x-kubernetes-list-map-keys"), "must be empty to be structural"));
        }

        if (node.ListType is not null)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "x-kubernetes-list-type"), "must be undefined to be structural"));
        }

        if (node.MapType is not null)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "x-kubernetes-map-type"), "must be undefined to be structural"));
        }

        if (node.Rules.Count > 0)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "x-kubernetes-validations"), "must be empty to be structural"));
        }

        if (node.Properties?.ContainsKey("metadata") == true)
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Key(FieldPaths.Child(path, "properties"), "metadata"), "must not be specified in a nested context"));
        }
    }

    /// <summary>validateStructuralInvariants plus the list-type checks of CRD validation.</summary>
    private void CheckStructural(SchemaNode node, string path, Level level)
    {
        if (node.Type == "array" && node.Items is null)
        {
            errors.Add(FieldError.Required(FieldPaths.Child(path, "items"), "must be specified"));
        }

        if (node.AdditionalProperties is not null || node.AdditionalPropertiesAllowed is not null)
        {
            if (level == Level.Root)
            {
                errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "additionalProperties"), "must not be used at the root"));
            }

            if (node.EmbeddedResource)
            {
                errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"));
            }
        }

        if (node.IntOrString && node.PreserveUnknownFields)
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(path, "x-kubernetes-preserve-unknown-fields"), JsonValue.Create(true), "must be false if x-kubernetes-int-or-string is true"));
        }

        if (node.IntOrString && node.EmbeddedResource)
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(path, "x-kubernetes-embedded-resource"), JsonValue.Create(true), "must be false if x-kubernetes-int-or-string is true"));
        }

        if (node.EmbeddedResource && node.Type != "object")
        {
            errors.Add(node.Type is null
                ? FieldError.Required(FieldPaths.Child(path, "type"), "must be object if x-kubernetes-embedded-resource is true")
                : FieldError.Invalid(FieldPaths.Child(path, "type"), JsonValue.Create(node.Type), "must be object if x-kubernetes-embedded-resource is true"));
        }
        else if (node.Type is null && !node.IntOrString && !node.PreserveUnknownFields)
        {
            var detail = level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            };
            errors.Add(FieldError.Required(FieldPaths.Child(path, "type"), detail));
        }

        if (level == Level.Root && node.Type is not null && node.Type != "object")
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(path, "type"), JsonValue.Create(node.Type), "must be object at the root"));
        }

        var checkMetadata = level == Level.Root || node.EmbeddedResource;
        if (checkMetadata)
        {
            foreach (var typeMetaField in new[] { "kind", "apiVersion" })
            {
                if (node.Property(typeMetaField) is { } tm && tm.Type != "string")
                {
                    errors.Add(FieldError.Invalid(FieldPaths.Child(FieldPaths.Key(FieldPaths.Child(path, "properties"), typeMetaField), "type"), JsonValue.Create(tm.Type ?? ""), "must be string"));
                }
            }
        }

        if (node.Property("metadata") is { } metadata)
        {
            var metadataPath = FieldPaths.Key(FieldPaths.Child(path, "properties"), "metadata");
            if (checkMetadata && metadata.Type != "object")
            {
                errors.Add(FieldError.Invalid(FieldPaths.Child(metadataPath, "type"), JsonValue.Create(metadata.Type ?? ""), "must be object"));
            }

            if (level == Level.Root)
            {
                var allowed = metadata.Properties is null || metadata.Properties.Keys.All(k => k is "name" or "generateName");
                var extra = metadata.AdditionalProperties is not null || metadata.HasDefault || metadata.Required.Count > 0
                    || metadata.Rules.Count > 0 || metadata.PreserveUnknownFields || metadata.Nullable
                    || metadata.MaxProperties is not null || metadata.MinProperties is not null || metadata.Enum is not null;
                if (!allowed || extra)
                {
                    errors.Add(FieldError.Forbidden(metadataPath, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
                }
            }
        }

        if (node.EmbeddedResource && !node.PreserveUnknownFields && node.Properties is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(FieldPaths.Child(path, "properties"), "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }

        CheckListAndMapTypes(node, path);
    }

    private void CheckListAndMapTypes(SchemaNode node, string path)
    {
        if (node.ListType is { } listType)
        {
            var listTypePath = FieldPaths.Child(path, "x-kubernetes-list-type");
            if (listType is not ("atomic" or "set" or "map"))
            {
                errors.Add(FieldError.NotSupported(listTypePath, JsonValue.Create(listType), ["atomic", "set", "map"]));
            }
            else if (node.Type != "array")
            {
                errors.Add(FieldError.Invalid(listTypePath, JsonValue.Create(listType), "must only be used if type is array"));
            }
            else if (listType == "set" && node.Items is { } setItems && (setItems.Type == "object" || setItems.Type == "array") && setItems.MapType != "atomic" && setItems.ListType != "atomic")
            {
                errors.Add(FieldError.Invalid(FieldPaths.Child(path, "items"), null, "must be atomic or scalar if x-kubernetes-list-type is set"));
            }
            else if (listType == "map")
            {
                CheckListMap(node, path);
            }
        }

        if (node.ListMapKeys.Count > 0 && node.ListType != "map")
        {
            errors.Add(FieldError.Forbidden(FieldPaths.Child(path, "x-kubernetes-list-map-keys"), "must not be set if x-kubernetes-list-type is not map"));
        }

        if (node.MapType is { } mapType)
        {
            if (mapType is not ("granular" or "atomic"))
            {
                errors.Add(FieldError.NotSupported(FieldPaths.Child(path, "x-kubernetes-map-type"), JsonValue.Create(mapType), ["granular", "atomic"]));
            }
            else if (node.Type != "object")
            {
                errors.Add(FieldError.Invalid(FieldPaths.Child(path, "x-kubernetes-map-type"), JsonValue.Create(mapType), "must only be used if type is object"));
            }
        }
    }

    private void CheckListMap(SchemaNode node, string path)
    {
        var keysPath = FieldPaths.Child(path, "x-kubernetes-list-map-keys");
        if (node.ListMapKeys.Count == 0)
        {
            errors.Add(FieldError.Required(keysPath, "must not be empty if x-kubernetes-list-type is map"));
            return;
        }

        var items = node.Items;
        if (items is null || items.Type != "object" || items.MapType == "atomic")
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(path, "items"), null, "must be object of type granular if x-kubernetes-list-type is map"));
            return;
        }

        foreach (var key in node.ListMapKeys)
        {
            var prop = items.Property(key);
            if (prop is null)
            {
                errors.Add(FieldError.Invalid(keysPath, JsonValue.Create(key), "entries must all be names of item properties"));
                continue;
            }

            if (prop.Type is not ("string" or "integer" or "number" or "boolean") && !prop.IntOrString)
            {
                errors.Add(FieldError.Invalid(keysPath, JsonValue.Create(key), "must be scalar typed"));
            }

            if (!items.Required.Contains(key) && !prop.HasDefault)
            {
                errors.Add(FieldError.Invalid(keysPath, JsonValue.Create(key), "entries must all be names of required properties or have a default value"));
            }
        }
    }

    private string? String(JsonObject obj, string key, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var value) || value is null)
        {
            return null;
        }

        if (JsonKind.AsString(value) is { } s)
        {
            return s;
        }

        errors.Add(FieldError.Invalid(FieldPaths.Child(path, key), value.DeepClone(), "must be a string"));
        return null;
    }

    private bool? Bool(JsonObject obj, string key, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var value) || value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }

        errors.Add(FieldError.Invalid(FieldPaths.Child(path, key), value.DeepClone(), "must be a boolean"));
        return null;
    }

    private double? Number(JsonObject obj, string key, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var value) || value is null)
        {
            return null;
        }

        if (JsonNumbers.TryGetNumber(value, out _, out _, out var number))
        {
            return number;
        }

        errors.Add(FieldError.Invalid(FieldPaths.Child(path, key), value.DeepClone(), "must be a number"));
        return null;
    }

    private long? Integer(JsonObject obj, string key, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var value) || value is null)
        {
            return null;
        }

        if (JsonNumbers.TryGetNumber(value, out var isInteger, out var integer, out var number))
        {
            if (isInteger)
            {
                return integer;
            }

            if (Math.Floor(number) == number)
            {
                return (long)number;
            }
        }

        errors.Add(FieldError.Invalid(FieldPaths.Child(path, key), value.DeepClone(), "must be an integer"));
        return null;
    }
}
