using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// apimachinery's ValidateObjectMetaAccessor / ValidateObjectMetaAccessorUpdate over the JSON metadata of an object,
/// usable for built-in kinds as well as custom resources. Field paths start at "metadata".
/// </summary>
public static class ObjectMetaValidator
{
    private const string Path = "metadata";
    private const int TotalAnnotationSizeLimitB = 256 * (1 << 10);

    /// <summary>
    /// Validates metadata on create. <paramref name="namespaced"/>: true requires a namespace, false forbids one,
    /// null skips the check. <paramref name="nameValidator"/> defaults to NameIsDNSSubdomain (custom resources).
    /// </summary>
    public static List<FieldError> ValidateCreate(JsonObject? metadata, bool? namespaced, Func<string, bool, List<string>>? nameValidator = null)
    {
        nameValidator ??= NameValidation.NameIsDnsSubdomain;
        var errors = new List<FieldError>();
        metadata ??= [];
        if (TypeErrors(metadata, errors))
        {
            return errors;
        }

        var generateName = JsonKind.AsString(metadata["generateName"]) ?? "";
        if (generateName.Length != 0)
        {
            foreach (var msg in nameValidator(generateName, true))
            {
                errors.Add(FieldError.Invalid(Path + ".generateName", JsonValue.Create(generateName), msg));
            }
        }

        var name = JsonKind.AsString(metadata["name"]) ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(Path + ".name", "name or generateName is required"));
        }
        else
        {
            foreach (var msg in nameValidator(name, false))
            {
                errors.Add(FieldError.Invalid(Path + ".name", JsonValue.Create(name), msg));
            }
        }

        var ns = JsonKind.AsString(metadata["namespace"]) ?? "";
        if (namespaced == true)
        {
            if (ns.Length == 0)
            {
                errors.Add(FieldError.Required(Path + ".namespace", ""));
            }
            else
            {
                foreach (var msg in NameValidation.NameIsDnsLabel(ns, false))
                {
                    errors.Add(FieldError.Invalid(Path + ".namespace", JsonValue.Create(ns), msg));
                }
            }
        }
        else if (namespaced == false && ns.Length != 0)
        {
            errors.Add(FieldError.Forbidden(Path + ".namespace", "not allowed on this type"));
        }

        if (metadata["generation"] is { } generation && JsonNumbers.TryGetNumber(generation, out _, out _, out var g) && g < 0)
        {
            errors.Add(FieldError.Invalid(Path + ".generation", generation.DeepClone(), "must be greater than or equal to 0"));
        }

        ValidateCommon(metadata, errors);
        return errors;
    }

    /// <summary>Validates metadata on update: immutable identity fields, no new finalizers while deleting, then labels and the rest.</summary>
    public static List<FieldError> ValidateUpdate(JsonObject? metadata, JsonObject? oldMetadata)
    {
        var errors = new List<FieldError>();
        metadata ??= [];
        oldMetadata ??= [];
        if (TypeErrors(metadata, errors))
        {
            return errors;
        }

        if (oldMetadata["deletionTimestamp"] is not null)
        {
            var oldFinalizers = Strings(oldMetadata["finalizers"]).ToHashSet(StringComparer.Ordinal);
            var extra = Strings(metadata["finalizers"]).Where(f => !oldFinalizers.Contains(f)).Distinct().OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (extra.Count != 0)
            {
                var list = "[]string{" + string.Join(", ", extra.Select(GoFormat.Quote)) + "}";
                errors.Add(FieldError.Forbidden(Path + ".finalizers", $"no new finalizers can be added if the object is being deleted, found new finalizers {list}"));
            }
        }

        if (JsonNumbers.TryGetNumber(metadata["generation"], out _, out var newGeneration, out _)
            && JsonNumbers.TryGetNumber(oldMetadata["generation"], out _, out var oldGeneration, out _)
            && newGeneration < oldGeneration)
        {
            errors.Add(FieldError.Invalid(Path + ".generation", JsonValue.Create(newGeneration), "must not be decremented"));
        }

        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            var now = metadata[field];
            var before = oldMetadata[field];
            if (!JsonNode.DeepEquals(Normalize(field, now), Normalize(field, before)))
            {
                errors.Add(FieldError.Invalid(Path + "." + field, now?.DeepClone() ?? JsonValue.Create(""), "field is immutable"));
            }
        }

        ValidateCommon(metadata, errors);
        return errors;
    }

    private static JsonNode? Normalize(string field, JsonNode? value) =>
        field is "name" or "namespace" or "uid" && value is null ? JsonValue.Create("") : value;

    private static bool TypeErrors(JsonObject metadata, List<FieldError> errors)
    {
        foreach (var (field, value) in metadata)
        {
            if (ObjectMetaCoercion.Fields.Contains(field) && !ObjectMetaCoercion.HasExpectedKind(field, value))
            {
                errors.Add(FieldError.Invalid(Path + "." + field, value?.DeepClone(), $"must be of type {ExpectedType(field)}"));
            }
        }

        return errors.Count != 0;
    }

    private static string ExpectedType(string field) => field switch
    {
        "generation" or "deletionGracePeriodSeconds" => "integer",
        "labels" or "annotations" => "map[string]string",
        "finalizers" => "[]string",
        "ownerReferences" or "managedFields" => "array of objects",
        _ => "string",
    };

    private static void ValidateCommon(JsonObject metadata, List<FieldError> errors)
    {
        if (metadata["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                foreach (var msg in NameValidation.IsQualifiedName(key))
                {
                    errors.Add(FieldError.Invalid(Path + ".labels", JsonValue.Create(key), msg));
                }

                var text = JsonKind.AsString(value) ?? "";
                foreach (var msg in NameValidation.IsValidLabelValue(text))
                {
                    errors.Add(FieldError.Invalid(Path + ".labels", JsonValue.Create(text), msg));
                }
            }
        }

        if (metadata["annotations"] is JsonObject annotations)
        {
            long size = 0;
            foreach (var (key, value) in annotations.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                foreach (var msg in NameValidation.IsQualifiedName(key.ToLowerInvariant()))
                {
                    errors.Add(FieldError.Invalid(Path + ".annotations", JsonValue.Create(key), msg));
                }

                size += System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(JsonKind.AsString(value) ?? "");
            }

            if (size > TotalAnnotationSizeLimitB)
            {
                errors.Add(FieldError.TooLong(Path + ".annotations", TotalAnnotationSizeLimitB));
            }
        }

        ValidateOwnerReferences(metadata["ownerReferences"] as JsonArray, errors);

        var finalizers = Strings(metadata["finalizers"]).ToList();
        foreach (var finalizer in finalizers)
        {
            foreach (var msg in NameValidation.IsQualifiedName(finalizer))
            {
                errors.Add(FieldError.Invalid(Path + ".finalizers", JsonValue.Create(finalizer), msg));
            }
        }

        if (finalizers.Contains("orphan") && finalizers.Contains("foregroundDeletion"))
        {
            errors.Add(FieldError.Invalid(Path + ".finalizers", new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()), "finalizer orphan and foregroundDeletion cannot be both set"));
        }
    }

    private static void ValidateOwnerReferences(JsonArray? references, List<FieldError> errors)
    {
        if (references is null)
        {
            return;
        }

        const string path = Path + ".ownerReferences";
        string? firstController = null;
        foreach (var reference in references.OfType<JsonObject>())
        {
            var apiVersion = JsonKind.AsString(reference["apiVersion"]) ?? "";
            var kind = JsonKind.AsString(reference["kind"]) ?? "";
            var name = JsonKind.AsString(reference["name"]) ?? "";
            var uid = JsonKind.AsString(reference["uid"]) ?? "";
            var version = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : apiVersion;
            if (version.Length == 0)
            {
                errors.Add(FieldError.Invalid(path + ".apiVersion", JsonValue.Create(apiVersion), "version must not be empty"));
            }

            if (kind.Length == 0)
            {
                errors.Add(FieldError.Invalid(path + ".kind", JsonValue.Create(kind), "must not be empty"));
            }

            if (name.Length == 0)
            {
                errors.Add(FieldError.Invalid(path + ".name", JsonValue.Create(name), "must not be empty"));
            }

            if (uid.Length == 0)
            {
                errors.Add(FieldError.Invalid(path + ".uid", JsonValue.Create(uid), "must not be empty"));
            }

            if (reference["controller"] is JsonValue c && c.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                var current = kind + "/" + name;
                if (firstController is not null)
                {
                    errors.Add(FieldError.Invalid(path, references.DeepClone(), $"Only one reference can have Controller set to true. Found \"true\" in references for {firstController} and {current}"));
                }
                else
                {
                    firstController = current;
                }
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(JsonKind.AsString).OfType<string>() : [];
}
