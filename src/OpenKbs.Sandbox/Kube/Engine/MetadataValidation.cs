using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>ObjectMeta validation with the messages of k8s.io/apimachinery's validation package.</summary>
internal static partial class MetadataValidation
{
    public const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string QualifiedNameMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string LabelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private static readonly HashSet<string> KnownMetadataFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    };

    public static IReadOnlySet<string> KnownFields => KnownMetadataFields;

    public static void ValidateName(string name, NameRule rule, string field, List<KubeFieldError> errors)
    {
        switch (rule)
        {
            case NameRule.Label:
                if (name.Length > 63)
                {
                    errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(name), "must be no more than 63 characters"));
                }

                if (!DnsLabel().IsMatch(name))
                {
                    errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(name), LabelMessage));
                }

                break;
            case NameRule.PathSegment:
                if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal))
                {
                    errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(name), "may not contain '/' or '%', or be '.' or '..'"));
                }

                break;
            default:
                if (name.Length > 253)
                {
                    errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(name), "must be no more than 253 characters"));
                }

                if (!DnsSubdomain().IsMatch(name))
                {
                    errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(name), SubdomainMessage));
                }

                break;
        }
    }

    public static void Validate(JsonObject meta, ResourceType type, List<KubeFieldError> errors)
    {
        var name = KubeJson.GetString(meta, "name") ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(KubeFieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            ValidateName(name, type.Strategy.NameRule, "metadata.name", errors);
        }

        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                ValidateQualifiedName(key, "metadata.labels", errors);
                var v = value is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : string.Empty;
                if (v.Length > 63)
                {
                    errors.Add(KubeFieldError.Invalid("metadata.labels", JsonValue.Create(v), "must be no more than 63 characters"));
                }

                if (v.Length > 0 && !LabelValue().IsMatch(v))
                {
                    errors.Add(KubeFieldError.Invalid("metadata.labels", JsonValue.Create(v), LabelValueMessage));
                }
            }
        }

        if (meta["annotations"] is JsonObject annotations)
        {
            long total = 0;
            foreach (var (key, value) in annotations)
            {
                ValidateQualifiedName(key.ToLowerInvariant(), "metadata.annotations", errors);
                total += key.Length + (value is JsonValue jv && jv.TryGetValue<string>(out var s) ? s.Length : 0);
            }

            if (total > 256 * 1024)
            {
                errors.Add(new KubeFieldError("metadata.annotations", "FieldValueTooLong", $"Too long: must have at most {256 * 1024} bytes"));
            }
        }

        if (meta["finalizers"] is JsonArray finalizers)
        {
            for (var i = 0; i < finalizers.Count; i++)
            {
                var f = finalizers[i] is JsonValue fv && fv.TryGetValue<string>(out var s) ? s : string.Empty;
                ValidateQualifiedName(f, $"metadata.finalizers[{i}]", errors);
            }
        }

        if (meta["ownerReferences"] is JsonArray owners)
        {
            var controllers = 0;
            for (var i = 0; i < owners.Count; i++)
            {
                if (owners[i] is not JsonObject o)
                {
                    continue;
                }

                if (string.IsNullOrEmpty(KubeJson.GetString(o, "apiVersion")))
                {
                    errors.Add(KubeFieldError.Invalid("metadata.ownerReferences.apiVersion", JsonValue.Create(string.Empty), "version must not be empty"));
                }

                if (string.IsNullOrEmpty(KubeJson.GetString(o, "kind")))
                {
                    errors.Add(KubeFieldError.Invalid("metadata.ownerReferences.kind", JsonValue.Create(string.Empty), "kind must not be empty"));
                }

                if (string.IsNullOrEmpty(KubeJson.GetString(o, "name")))
                {
                    errors.Add(KubeFieldError.Invalid("metadata.ownerReferences.name", JsonValue.Create(string.Empty), "name must not be empty"));
                }

                if (string.IsNullOrEmpty(KubeJson.GetString(o, "uid")))
                {
                    errors.Add(KubeFieldError.Invalid("metadata.ownerReferences.uid", JsonValue.Create(string.Empty), "uid must not be empty"));
                }

                if (o["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController)
                {
                    controllers++;
                }
            }

            if (controllers > 1)
            {
                errors.Add(KubeFieldError.InvalidRaw("metadata.ownerReferences", "[]v1.OwnerReference{...}", "Only one reference can have Controller set to true"));
            }
        }
    }

    private static void ValidateQualifiedName(string value, string field, List<KubeFieldError> errors)
    {
        var parts = value.Split('/');
        string name;
        if (parts.Length == 1)
        {
            name = parts[0];
        }
        else if (parts.Length == 2)
        {
            var prefix = parts[0];
            name = parts[1];
            if (prefix.Length == 0)
            {
                errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(value), "prefix part must be non-empty"));
            }
            else if (!DnsSubdomain().IsMatch(prefix) || prefix.Length > 253)
            {
                errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(value), "prefix part " + SubdomainMessage));
            }
        }
        else
        {
            errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(value), "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
            return;
        }

        if (name.Length == 0)
        {
            errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(value), "name part must be non-empty"));
        }
        else if (name.Length > 63)
        {
            errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(value), "name part must be no more than 63 characters"));
        }
        else if (!QualifiedNamePart().IsMatch(name))
        {
            errors.Add(KubeFieldError.Invalid(field, JsonValue.Create(value), QualifiedNameMessage));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
