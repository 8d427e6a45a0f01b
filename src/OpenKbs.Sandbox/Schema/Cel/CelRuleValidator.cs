using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// Evaluates the compiled x-kubernetes-validations of an object, walking it like apiextensions' cel.Validator:
/// rules run on non-null values only; transition rules (oldSelf) run only when an old value is correlated (or with
/// optionalOldSelf); failures become field errors with the rule's message, messageExpression, reason and fieldPath;
/// errors of unchanged values are ratcheted away on update.
/// </summary>
internal static class CelRuleValidator
{
    private const int MaxMessageExpressionBytes = 5 * 1024;

    public static List<FieldError> Validate(SchemaNode root, JsonObject obj, JsonObject? oldObj)
    {
        var errors = new List<FieldError>();
        Validate(root, obj, oldObj, null, isResourceRoot: true, RatchetNode.Root(obj, oldObj, root), errors);
        return errors;
    }

    private static void Validate(SchemaNode schema, JsonNode? value, JsonNode? old, string? path, bool isResourceRoot, RatchetNode ratchet, List<FieldError> errors)
    {
        if (!schema.HasRulesBelow || value is null)
        {
            return;
        }

        if (schema.CompiledRules.Count > 0)
        {
            ValidateExpressions(schema, value, old, path, isResourceRoot, ratchet, errors);
        }

        switch (value)
        {
            case JsonArray array when schema.Items is { } items:
                var correlation = new ListCorrelation(schema, old);
                for (var i = 0; i < array.Count; i++)
                {
                    correlation.TryGetForTransitionRules(array[i], out var oldItem);
                    Validate(items, array[i], oldItem, FieldPaths.Index(path, i), items.EmbeddedResource, ratchet.Index(array, i, items), errors);
                }

                break;
            case JsonObject obj:
                var oldMap = old as JsonObject;
                if (schema.AdditionalProperties is { } additional)
                {
                    foreach (var (key, child) in obj)
                    {
                        var oldChild = oldMap?[key];
                        Validate(additional, child, oldChild, FieldPaths.Key(path, key), additional.EmbeddedResource, ratchet.Key(key, child, additional, isResourceRoot), errors);
                    }
                }

                if (schema.Properties is not null)
                {
                    foreach (var (key, child) in obj)
                    {
                        if (schema.Property(key) is { } prop)
                        {
                            var oldChild = oldMap?[key];
                            Validate(prop, child, oldChild, FieldPaths.Child(path, key), prop.EmbeddedResource, ratchet.Key(key, child, prop, isResourceRoot), errors);
                        }
                    }
                }

                break;
        }
    }

    private static void ValidateExpressions(SchemaNode schema, JsonNode value, JsonNode? old, string? path, bool isResourceRoot, RatchetNode ratchet, List<FieldError> errors)
    {
        var type = isResourceRoot ? "object" : schema.Type ?? "";
        var fieldPath = FieldPaths.Render(path);
        object? self = null;
        object? oldSelf = null;
        var selfConverted = false;
        var oldConverted = false;

        foreach (var compiled in schema.CompiledRules)
        {
            var rule = compiled.Rule;
            var optional = rule.OptionalOldSelf == true;
            if (compiled.UsesOldSelf && old is null && !optional)
            {
                continue;
            }

            if (!selfConverted)
            {
                self = CelValues.From(value, compiled.SelfType);
                selfConverted = true;
            }

            object? oldValue = null;
            if (compiled.UsesOldSelf)
            {
                if (!oldConverted && old is not null)
                {
                    oldSelf = CelValues.From(old, compiled.SelfType);
                    oldConverted = true;
                }

                oldValue = optional ? (old is null ? CelOptional.None : CelOptional.Of(oldSelf)) : oldSelf;
            }

            var outcome = Evaluate(compiled.Program, self, oldValue, out var evaluationError);
            if (evaluationError is not null)
            {
                var text = evaluationError == "no such overload"
                    ? $"'{evaluationError}': call arguments did not match a supported operator, function or macro signature for rule: {RuleErrorString(rule)}"
                    : $"{evaluationError} evaluating rule: {RuleErrorString(rule)}";
                errors.Add(FieldError.Invalid(fieldPath, JsonValue.Create(type), text));
                continue;
            }

            if (outcome)
            {
                continue;
            }

            var errorPath = compiled.NormalizedFieldPath is { } relative ? FieldPaths.Render(FieldPaths.Child(path, relative)) : fieldPath;
            var detail = MessageExpression(compiled, self, oldValue) ?? MessageOrDefault(rule);
            var error = rule.Reason switch
            {
                "FieldValueForbidden" => FieldError.Forbidden(errorPath, detail),
                "FieldValueRequired" => FieldError.Required(errorPath, detail),
                "FieldValueDuplicate" => FieldError.Duplicate(errorPath, JsonValue.Create(type)),
                _ => FieldError.Invalid(errorPath, JsonValue.Create(type), detail),
            };
            if (compiled.UsesOldSelf || !ratchet.ShouldRatchet())
            {
                errors.Add(error);
            }
        }
    }

    private static bool Evaluate(CelProgram program, object? self, object? oldSelf, out string? error)
    {
        error = null;
        switch (program.Evaluate(self, oldSelf))
        {
            case bool b:
                return b;
            case CelError e:
                error = e.Message;
                return false;
            default:
                error = "no such overload";
                return false;
        }
    }

    private static string? MessageExpression(CompiledRule compiled, object? self, object? oldSelf)
    {
        if (compiled.MessageProgram?.Evaluate(self, oldSelf) is string message)
        {
            var trimmed = message.Trim();
            if (trimmed.Length > 0 && !trimmed.Contains('\n', StringComparison.Ordinal) && System.Text.Encoding.UTF8.GetByteCount(trimmed) <= MaxMessageExpressionBytes)
            {
                return trimmed;
            }
        }

        // kube-apiserver logs a failing messageExpression and falls back to the message.
        return null;
    }

    private static string MessageOrDefault(ValidationRule rule) =>
        rule.Message.Length == 0 ? $"failed rule: {RuleErrorString(rule)}" : rule.Message.Trim();

    private static string RuleErrorString(ValidationRule rule) => rule.Message.Length > 0 ? rule.Message.Trim() : rule.Rule.Trim();
}
