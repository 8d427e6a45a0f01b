using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// schemaobjectmeta.Validate for objects marked x-kubernetes-embedded-resource (the resource root is validated
/// separately): apiVersion and kind are required, kind must be a mixed-case DNS-1035 label, metadata must be valid.
/// </summary>
internal static class EmbeddedResourceValidator
{
    public static List<FieldError> Validate(JsonObject obj, SchemaNode root)
    {
        var errors = new List<FieldError>();
        Walk(null, obj, root, errors, isRoot: true);
        return errors;
    }

    private static void Walk(string? path, JsonNode? value, SchemaNode? schema, List<FieldError> errors, bool isRoot)
    {
        if (schema is null)
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                if (schema.EmbeddedResource && !isRoot)
                {
                    ValidateEmbedded(path, obj, errors);
                }

                foreach (var (key, child) in obj)
                {
                    if (schema.Property(key) is { } prop)
                    {
                        Walk(FieldPaths.Child(path, key), child, prop, errors, false);
                    }
                    else if (schema.AdditionalProperties is { } additional)
                    {
                        Walk(FieldPaths.Key(path, key), child, additional, errors, false);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(FieldPaths.Index(path, i), array[i], schema.Items, errors, false);
                }

                break;
        }
    }

    private static void ValidateEmbedded(string? path, JsonObject obj, List<FieldError> errors)
    {
        if (!obj.ContainsKey("apiVersion"))
        {
            errors.Add(FieldError.Required(FieldPaths.Child(path, "apiVersion"), ""));
        }

        if (!obj.ContainsKey("kind"))
        {
            errors.Add(FieldError.Required(FieldPaths.Child(path, "kind"), ""));
        }

        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "apiVersion":
                    if (JsonKind.AsString(value) is not { } apiVersion)
                    {
                        errors.Add(FieldError.Invalid(FieldPaths.Child(path, "apiVersion"), value?.DeepClone(), "must be a string"));
                    }
                    else if (apiVersion.Length == 0)
                    {
                        errors.Add(FieldError.Required(FieldPaths.Child(path, "apiVersion"), ""));
                    }
                    else if (apiVersion.Count(c => c == '/') > 1)
                    {
                        errors.Add(FieldError.Invalid(FieldPaths.Child(path, "apiVersion"), JsonValue.Create(apiVersion), $"unexpected GroupVersion string: {apiVersion}"));
                    }

                    break;
                case "kind":
                    if (JsonKind.AsString(value) is not { } kind)
                    {
                        errors.Add(FieldError.Invalid(FieldPaths.Child(path, "kind"), value?.DeepClone(), "must be a string"));
                    }
                    else if (kind.Length == 0)
                    {
                        errors.Add(FieldError.Required(FieldPaths.Child(path, "kind"), ""));
                    }
                    else if (NameValidation.IsDns1035Label(kind.ToLowerInvariant()) is { Count: > 0 } msgs)
                    {
                        errors.Add(FieldError.Invalid(FieldPaths.Child(path, "kind"), JsonValue.Create(kind), "may have mixed case, but should otherwise match: " + string.Join(",", msgs)));
                    }

                    break;
                case "metadata":
                    if (value is JsonObject metadata)
                    {
                        var copy = (JsonObject)metadata.DeepClone();
                        if (string.IsNullOrEmpty(JsonKind.AsString(copy["name"])))
                        {
                            copy["name"] = "fakename";
                        }

                        var ns = JsonKind.AsString(copy["namespace"]);
                        foreach (var e in ObjectMetaValidator.ValidateCreate(copy, string.IsNullOrEmpty(ns) ? null : true, PathSegmentName))
                        {
                            errors.Add(e with { Field = FieldPaths.Child(path, e.Field) });
                        }
                    }
                    else if (value is not null)
                    {
                        errors.Add(FieldError.Invalid(FieldPaths.Child(path, "metadata"), value.DeepClone(), "must be an object"));
                    }

                    break;
            }
        }
    }

    /// <summary>path.ValidatePathSegmentName: any name that is not "." or ".." and has no '/' or '%'.</summary>
    private static List<string> PathSegmentName(string name, bool prefix)
    {
        var errs = new List<string>();
        if (!prefix && name is "." or "..")
        {
            errs.Add($"may not be '{name}'");
        }

        foreach (var illegal in new[] { "/", "%" })
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                errs.Add($"may not contain '{illegal}'");
            }
        }

        return errs;
    }
}
