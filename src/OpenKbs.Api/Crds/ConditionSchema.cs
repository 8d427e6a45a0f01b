using k8s.Models;

namespace OpenKbs.Api.Crds;

/// <summary>The schema of metav1.Condition, as Kubernetes publishes it for every CRD that uses conditions.</summary>
internal static class ConditionSchema
{
    public static V1JSONSchemaProps Create() => new()
    {
        Type = "object",
        Description = "Condition contains details for one aspect of the current state of this object.",
        Required = ["lastTransitionTime", "message", "reason", "status", "type"],
        Properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
        {
            ["lastTransitionTime"] = new()
            {
                Type = "string",
                Format = "date-time",
                Description = "The last time the condition transitioned from one status to another.",
            },
            ["message"] = new()
            {
                Type = "string",
                MaxLength = 32768,
                Description = "A human-readable message indicating details about the transition. May be empty.",
            },
            ["observedGeneration"] = new()
            {
                Type = "integer",
                Format = "int64",
                Minimum = 0,
                Description = "The metadata.generation the condition was set for.",
            },
            ["reason"] = new()
            {
                Type = "string",
                MinLength = 1,
                MaxLength = 1024,
                Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                Description = "A programmatic identifier (CamelCase) for the condition's last transition. Reasons starting with Terminal mark problems retrying cannot fix.",
            },
            ["status"] = new()
            {
                Type = "string",
                EnumProperty = ["True", "False", "Unknown"],
                Description = "The status of the condition: True, False or Unknown.",
            },
            ["type"] = new()
            {
                Type = "string",
                MaxLength = 316,
                Pattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                Description = "The type of condition in CamelCase, e.g. Ready.",
            },
        },
    };
}
