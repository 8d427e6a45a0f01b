using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema.Cel;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// One CRD version's schema, compiled once: structural checks, defaulting, pruning, OpenAPI validation and CEL
/// x-kubernetes-validations with kube-apiserver's semantics and messages. Thread-safe after compilation.
/// A server applies, per request: <see cref="Prune"/>, <see cref="ApplyDefaults"/>, then <see cref="Validate"/>
/// (answering 422 with <see cref="InvalidStatus.Build"/> when it returns errors); and <see cref="ApplyDefaults"/>
/// on objects read back from storage.
/// </summary>
public sealed class CrdSchema
{
    private const string BlockingMessage = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    private readonly SchemaNode _root;

    private CrdSchema(SchemaNode root, CrdSchemaOptions options)
    {
        _root = root;
        Options = options;
    }

    /// <summary>The identity and scope this schema validates against.</summary>
    public CrdSchemaOptions Options { get; }

    /// <summary>Number of compiled CEL rules.</summary>
    public int RuleCount => CountRules(_root);

    internal SchemaNode Root => _root;

    /// <summary>Compiles one CRD version's openAPIV3Schema. Throws <see cref="CrdSchemaException"/> for a schema kube-apiserver would refuse.</summary>
    public static CrdSchema Compile(JsonNode openApiV3Schema) => Compile(openApiV3Schema, null);

    /// <summary>Compiles one CRD version's openAPIV3Schema with the resource's identity and scope.</summary>
    public static CrdSchema Compile(JsonNode openApiV3Schema, CrdSchemaOptions? options)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        options ??= new CrdSchemaOptions();
        var errors = new List<FieldError>();
        var root = new SchemaParser(errors).ParseRoot(openApiV3Schema, options.SchemaPath);
        if (errors.Count == 0)
        {
            DefaultsValidator.Validate(root, errors);
        }

        if (errors.Count == 0)
        {
            CelRuleCompiler.CompileAll(root, errors);
        }

        if (errors.Count > 0)
        {
            throw new CrdSchemaException(errors);
        }

        return new CrdSchema(root, options);
    }

    /// <summary>Compiles the schema of <paramref name="version"/> of a CustomResourceDefinition (apiextensions.k8s.io/v1).</summary>
    public static CrdSchema FromCrd(JsonNode crd, string version)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var spec = crd["spec"] as JsonObject ?? throw new CrdSchemaException([FieldError.Required("spec", "")]);
        var versions = spec["versions"] as JsonArray ?? [];
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i] is not JsonObject v || JsonKind.AsString(v["name"]) != version)
            {
                continue;
            }

            var schemaPath = $"spec.versions[{i}].schema.openAPIV3Schema";
            var schema = v["schema"]?["openAPIV3Schema"]
                ?? throw new CrdSchemaException([FieldError.Required(schemaPath, "schemas are required")]);
            return Compile(schema, new CrdSchemaOptions
            {
                Group = JsonKind.AsString(spec["group"]),
                Version = version,
                Kind = JsonKind.AsString(spec["names"]?["kind"]),
                Namespaced = JsonKind.AsString(spec["scope"]) != "Cluster",
                SchemaPath = schemaPath,
            });
        }

        throw new CrdSchemaException([FieldError.Invalid("spec.versions", JsonValue.Create(version), "version is not served by this CRD")]);
    }

    /// <summary>
    /// Structural defaulting: defaults fill missing (or null non-nullable) properties of objects that exist.
    /// </summary>
    public void ApplyDefaults(JsonObject obj) => Defaulter.Default(obj, _root);

    /// <summary>
    /// Drops unknown fields (keeping x-kubernetes-preserve-unknown-fields subtrees and the apiVersion/kind/metadata
    /// of the root and of embedded resources), coerces metadata to ObjectMeta's fields, and removes nulls of
    /// non-nullable fields without default. Returns the dropped paths ("spec.foo", "metadata.bar"), for
    /// fieldValidation=Warn ("unknown field \"spec.foo\"") or Strict.
    /// </summary>
    public IReadOnlyList<string> Prune(JsonObject obj) => Pruner.Prune(obj, _root);

    /// <summary>
    /// Validates a (pruned, defaulted) object: apiVersion/kind, metadata, the OpenAPI schema, embedded resources,
    /// list-type invariants and CEL rules, in kube-apiserver's order. <paramref name="oldObj"/> is the stored object
    /// on update (enables transition rules and ratcheting of unchanged invalid values), null on create.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? oldObj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var typeMeta = ValidateTypeMeta(obj);
        if (typeMeta.Count > 0)
        {
            return typeMeta;
        }

        var errors = new List<FieldError>();
        errors.AddRange(oldObj is null
            ? ObjectMetaValidator.ValidateCreate(obj["metadata"] as JsonObject, Options.Namespaced)
            : ObjectMetaValidator.ValidateUpdate(obj["metadata"] as JsonObject, oldObj["metadata"] as JsonObject));

        errors.AddRange(OpenApiValidator.Validate(_root, obj, "", oldObj, oldObj is not null).Select(e => e.ToFieldError(null)));
        errors.AddRange(EmbeddedResourceValidator.Validate(obj, _root));
        if (oldObj is null || ListTypeValidator.Validate(oldObj, _root).Count == 0)
        {
            errors.AddRange(ListTypeValidator.Validate(obj, _root));
        }

        if (_root.HasRulesBelow)
        {
            if (errors.Any(IsBlocking))
            {
                errors.Add(FieldError.Invalid(FieldError.NilField, null, BlockingMessage));
            }
            else
            {
                errors.AddRange(CelRuleValidator.Validate(_root, obj, oldObj));
            }
        }

        return errors;
    }

    private List<FieldError> ValidateTypeMeta(JsonObject obj)
    {
        var errors = new List<FieldError>();
        if (Options.Kind is null || Options.Version is null)
        {
            return errors;
        }

        var kind = JsonKind.AsString(obj["kind"]) ?? "";
        if (kind != Options.Kind)
        {
            errors.Add(FieldError.Invalid("kind", JsonValue.Create(kind), $"must be {Options.Kind}"));
        }

        var apiVersion = JsonKind.AsString(obj["apiVersion"]) ?? "";
        var expected = string.IsNullOrEmpty(Options.Group) ? Options.Version : Options.Group + "/" + Options.Version;
        if (apiVersion != expected)
        {
            errors.Add(FieldError.Invalid("apiVersion", JsonValue.Create(apiVersion), $"must be {expected}"));
        }

        return errors;
    }

    /// <summary>hasBlockingErr: type, required, enum and size violations stop CEL evaluation.</summary>
    private static bool IsBlocking(FieldError error) =>
        error.Type is FieldErrorType.NotSupported or FieldErrorType.Required or FieldErrorType.TooLong or FieldErrorType.TooMany or FieldErrorType.TypeInvalid;

    private static int CountRules(SchemaNode node) =>
        node.CompiledRules.Count
        + (node.Properties?.Values.Sum(CountRules) ?? 0)
        + (node.AdditionalProperties is { } a ? CountRules(a) : 0)
        + (node.Items is { } i ? CountRules(i) : 0);
}
