using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// kube-openapi's SchemaValidator over a structural schema, with the messages, ordering and paths kube-apiserver
/// produces, plus CRD validation ratcheting: on update, errors inside a value that is unchanged from its correlated
/// old value are dropped (RatchetingSchemaValidator).
/// </summary>
internal static class OpenApiValidator
{
    private const string In = "body";
    private const double MaxJsonFloat = 9007199254740992; // 2^53

    /// <summary>Validates <paramref name="data"/> against <paramref name="schema"/>; <paramref name="hasOld"/> enables ratcheting.</summary>
    public static List<OpenApiError> Validate(SchemaNode schema, JsonNode? data, string path, JsonNode? old, bool hasOld)
    {
        var result = new List<OpenApiError>();
        if (data is null)
        {
            TypeCheck(schema, data, path, result);
            EnumCheck(schema, data, path, result);
        }
        else
        {
            var kind = JsonKind.Of(data);
            if (schema.Type is not null || schema.Format is not null || schema.IntOrString)
            {
                TypeCheck(schema, data, path, result);
            }

            if (schema.HasValueValidations)
            {
                Junctors(schema, data, path, result);
            }

            if (kind == "string")
            {
                StringCheck(schema, JsonKind.AsString(data)!, data, path, result);
                if (FormatChecker.Knows(schema.Format) && !FormatChecker.IsValid(schema.Format!, JsonKind.AsString(data)!))
                {
                    result.Add(InvalidType(path, schema.Format!, data));
                }
            }

            if (kind is "integer" or "number")
            {
                NumberCheck(schema, data, path, result);
            }

            if (data is JsonArray array)
            {
                SliceCheck(schema, array, path, old, hasOld, result);
            }

            EnumCheck(schema, data, path, result);

            if (data is JsonObject obj)
            {
                ObjectCheck(schema, obj, path, old, hasOld, result);
            }
        }

        if (result.Count != 0 && hasOld && JsonNode.DeepEquals(data, old))
        {
            result.Clear();
        }

        return result;
    }

    private static void TypeCheck(SchemaNode schema, JsonNode? data, string path, List<OpenApiError> result)
    {
        var types = schema.IntOrString ? ["integer", "string"] : schema.Type is { } t ? new[] { t } : [];
        var typeName = string.Join(",", types);
        if (data is null)
        {
            if (types.Length > 0 && !schema.Nullable)
            {
                result.Add(InvalidType(path, typeName, JsonValue.Create("null")));
            }

            return;
        }

        var schType = JsonKind.Of(data);
        var isFloatInt = schType == "number" && types.Contains("integer") && IsJsonInteger(data);
        var isIntFloat = schType == "integer" && types.Contains("number");
        var kindIsStringOrSlice = schType is "string" or "array";
        var dataFormat = schType switch
        {
            "integer" => "int64",
            "number" => "double",
            _ => "",
        };

        if (!kindIsStringOrSlice && schema.Format is { Length: > 0 } format
            && !(types.Contains(schType) || dataFormat == format || isFloatInt || isIntFloat))
        {
            result.Add(InvalidType(path, format, JsonValue.Create(dataFormat)));
            return;
        }

        if (!(types.Contains("number") || types.Contains("integer")) && schema.Format is { Length: > 0 } && kindIsStringOrSlice)
        {
            return;
        }

        if (!(types.Contains(schType) || isFloatInt || isIntFloat))
        {
            result.Add(InvalidType(path, typeName, JsonValue.Create(schType)));
        }
    }

    private static bool IsJsonInteger(JsonNode data) =>
        JsonNumbers.TryGetNumber(data, out _, out _, out var f) && double.IsFinite(f) && Math.Abs(f) <= MaxJsonFloat && Math.Truncate(f) == f;

    private static void Junctors(SchemaNode schema, JsonNode data, string path, List<OpenApiError> result)
    {
        if (schema.AnyOf.Count > 0)
        {
            List<OpenApiError>? bestFailures = null;
            var bestScore = -1;
            var succeeded = false;
            foreach (var branch in schema.AnyOf)
            {
                var r = Validate(branch, data, path, null, false);
                if (r.Count == 0)
                {
                    succeeded = true;
                    bestFailures = null;
                    break;
                }

                var score = MatchScore(branch, r);
                if (bestFailures is null || score > bestScore)
                {
                    bestFailures = r;
                    bestScore = score;
                }
            }

            if (!succeeded)
            {
                result.Add(Composite($"{GoFormat.Quote(path)} must validate at least one schema (anyOf)"));
            }

            if (bestFailures is not null)
            {
                result.AddRange(bestFailures);
            }
        }

        if (schema.OneOf.Count > 0)
        {
            List<OpenApiError>? bestFailures = null;
            var bestScore = -1;
            var validated = 0;
            foreach (var branch in schema.OneOf)
            {
                var r = Validate(branch, data, path, null, false);
                if (r.Count == 0)
                {
                    validated++;
                    bestFailures = null;
                    continue;
                }

                var score = MatchScore(branch, r);
                if (validated == 0 && (bestFailures is null || score > bestScore))
                {
                    bestFailures = r;
                    bestScore = score;
                }
            }

            if (validated != 1)
            {
                var additional = validated == 0 ? "Found none valid" : $"Found {validated} valid alternatives";
                result.Add(Composite($"{GoFormat.Quote(path)} must validate one and only one schema (oneOf). {additional}"));
                if (bestFailures is not null)
                {
                    result.AddRange(bestFailures);
                }
            }
        }

        if (schema.AllOf.Count > 0)
        {
            var validated = 0;
            foreach (var branch in schema.AllOf)
            {
                var r = Validate(branch, data, path, null, false);
                if (r.Count == 0)
                {
                    validated++;
                }

                result.AddRange(r);
            }

            if (validated != schema.AllOf.Count)
            {
                var additional = validated == 0 ? ". None validated" : "";
                result.Add(Composite($"{GoFormat.Quote(path)} must validate all the schemas (allOf){additional}"));
            }
        }

        if (schema.Not is { } not && Validate(not, data, path, null, false).Count == 0)
        {
            result.Add(Composite($"{GoFormat.Quote(path)} must not validate the schema (not)"));
        }
    }

    /// <summary>A stand-in for kube-openapi's MatchCount: fewer errors means more positive checks.</summary>
    private static int MatchScore(SchemaNode branch, List<OpenApiError> errors) => 1000 - errors.Count;

    private static void StringCheck(SchemaNode schema, string value, JsonNode data, string path, List<OpenApiError> result)
    {
        var length = value.EnumerateRunes().Count();
        if (schema.MaxLength is { } max && length > max)
        {
            result.Add(new OpenApiError(OpenApiErrorCode.TooLong, path, data.DeepClone(), $"{path} in {In} should be at most {max} chars long") { Limit = max });
            return;
        }

        if (schema.MinLength is { } min && length < min)
        {
            result.Add(new OpenApiError(OpenApiErrorCode.TooShort, path, data.DeepClone(), $"{path} in {In} should be at least {min} chars long") { Limit = min });
            return;
        }

        if (schema.Pattern is { } pattern)
        {
            if (schema.PatternRegex is null)
            {
                result.Add(new OpenApiError(OpenApiErrorCode.Pattern, path, data.DeepClone(), $"{path} in {In} should match '{pattern}, but pattern is invalid'"));
            }
            else if (!schema.PatternRegex.IsMatch(value))
            {
                result.Add(new OpenApiError(OpenApiErrorCode.Pattern, path, data.DeepClone(), $"{path} in {In} should match '{pattern}'"));
            }
        }
    }

    private static void NumberCheck(SchemaNode schema, JsonNode data, string path, List<OpenApiError> result)
    {
        JsonNumbers.TryGetNumber(data, out var isInteger, out var integer, out var number);
        if (schema.MultipleOf is { } factor && factor > 0)
        {
            bool ok;
            string factorText;
            if (isInteger && Math.Truncate(factor) == factor)
            {
                ok = integer % (long)factor == 0;
                factorText = ((long)factor).ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                var mult = factor < 1 ? 1 / factor * number : number / factor;
                ok = Math.Abs(mult - Math.Round(mult)) < 1e-9;
                factorText = GoFormat.Float(factor);
            }

            if (!ok)
            {
                result.Add(new OpenApiError(OpenApiErrorCode.MultipleOf, path, data.DeepClone(), $"{path} in {In} should be a multiple of {factorText}"));
            }
        }

        if (schema.Minimum is { } minimum)
        {
            var exclusive = schema.ExclusiveMinimum;
            bool fails;
            string limit;
            if (isInteger)
            {
                var m = (long)minimum;
                fails = exclusive ? integer <= m : integer < m;
                limit = m.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                fails = exclusive ? number <= minimum : number < minimum;
                limit = GoFormat.Float(minimum);
            }

            if (fails)
            {
                var text = exclusive ? "greater than" : "greater than or equal to";
                result.Add(new OpenApiError(OpenApiErrorCode.Min, path, data.DeepClone(), $"{path} in {In} should be {text} {limit}"));
            }
        }

        if (schema.Maximum is { } maximum)
        {
            var exclusive = schema.ExclusiveMaximum;
            bool fails;
            string limit;
            if (isInteger)
            {
                var m = (long)maximum;
                fails = exclusive ? integer >= m : integer > m;
                limit = m.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                fails = exclusive ? number >= maximum : number > maximum;
                limit = GoFormat.Float(maximum);
            }

            if (fails)
            {
                var text = exclusive ? "less than" : "less than or equal to";
                result.Add(new OpenApiError(OpenApiErrorCode.Max, path, data.DeepClone(), $"{path} in {In} should be {text} {limit}"));
            }
        }
    }

    private static void SliceCheck(SchemaNode schema, JsonArray array, string path, JsonNode? old, bool hasOld, List<OpenApiError> result)
    {
        if (schema.Items is { } items)
        {
            var correlation = hasOld ? new ListCorrelation(schema, old) : null;
            for (var i = 0; i < array.Count; i++)
            {
                var childPath = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                JsonNode? childOld = null;
                var childHasOld = correlation is not null && correlation.TryGetForRatcheting(array, i, out childOld);
                result.AddRange(Validate(items, array[i], childPath, childOld, childHasOld));
            }
        }

        long size = array.Count;
        if (schema.MinItems is { } min && size < min)
        {
            result.Add(new OpenApiError(OpenApiErrorCode.MinItems, path, JsonValue.Create(size), $"{path} in {In} should have at least {min} items") { Limit = min });
        }

        if (schema.MaxItems is { } max && size > max)
        {
            result.Add(new OpenApiError(OpenApiErrorCode.MaxItems, path, JsonValue.Create(size), $"{path} in {In} should have at most {max} items") { Limit = max });
        }
    }

    private static void EnumCheck(SchemaNode schema, JsonNode? data, string path, List<OpenApiError> result)
    {
        if (schema.Enum is not { Count: > 0 } values)
        {
            return;
        }

        if (data is not null && values.Any(v => v is not null && JsonEquals(data, v)))
        {
            return;
        }

        var list = "[" + string.Join(" ", values.Select(GoFormat.Plain)) + "]";
        result.Add(new OpenApiError(OpenApiErrorCode.Enum, path, data?.DeepClone(), $"{path} in {In} should be one of {list}") { EnumValues = values });
    }

    private static void ObjectCheck(SchemaNode schema, JsonObject obj, string path, JsonNode? old, bool hasOld, List<OpenApiError> result)
    {
        long count = obj.Count;
        if (schema.MinProperties is { } min && count < min)
        {
            result.Add(new OpenApiError(OpenApiErrorCode.TooFewProperties, path, JsonValue.Create(count), $"{path} in {In} should have at least {min} properties") { Limit = min });
            return;
        }

        if (schema.MaxProperties is { } max && count > max)
        {
            result.Add(new OpenApiError(OpenApiErrorCode.TooManyProperties, path, JsonValue.Create(count), $"{path} in {In} should have at most {max} properties") { Limit = max });
            return;
        }

        var oldObj = hasOld ? old as JsonObject : null;
        if (schema.AdditionalProperties is { } additional)
        {
            foreach (var (key, value) in obj)
            {
                if (schema.Property(key) is not null)
                {
                    continue;
                }

                JsonNode? childOld = null;
                var childHasOld = oldObj is not null && oldObj.TryGetPropertyValue(key, out childOld);
                result.AddRange(Validate(additional, value, path + "." + key, childOld, childHasOld));
            }
        }

        if (schema.Properties is not null)
        {
            foreach (var (name, prop) in schema.Properties)
            {
                if (!obj.TryGetPropertyValue(name, out var value))
                {
                    continue;
                }

                JsonNode? childOld = null;
                var childHasOld = oldObj is not null && oldObj.TryGetPropertyValue(name, out childOld);
                var childPath = path.Length == 0 ? name : path + "." + name;
                result.AddRange(Validate(prop, value, childPath, childOld, childHasOld));
            }
        }

        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                var name = path + "." + required;
                result.Add(new OpenApiError(OpenApiErrorCode.Required, name, null, $"{name} in {In} is required"));
            }
        }
    }

    private static OpenApiError InvalidType(string path, string typeName, JsonNode value)
    {
        var text = JsonKind.AsString(value);
        var message = text is not null
            ? $"{path} in {In} must be of type {typeName}: {GoFormat.Quote(text)}"
            : $"{path} in {In} must be of type {typeName}";
        return new OpenApiError(OpenApiErrorCode.InvalidType, path, value.DeepClone(), message);
    }

    private static OpenApiError Composite(string message) => new(OpenApiErrorCode.Composite, "", null, message);

    /// <summary>JSON equality where 1 and 1.0 are the same number (enum matching converts types like reflect.Convert).</summary>
    internal static bool JsonEquals(JsonNode? a, JsonNode? b)
    {
        if (JsonNumbers.TryGetNumber(a, out var ai, out var al, out var ad) && JsonNumbers.TryGetNumber(b, out var bi, out var bl, out var bd))
        {
            return ai && bi ? al == bl : ad == bd;
        }

        return JsonNode.DeepEquals(a, b);
    }
}
