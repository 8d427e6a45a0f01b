namespace OpenKbs.Sandbox.Schema;

/// <summary>The kube-openapi validation error codes (k8s.io/kube-openapi/pkg/validation/errors) we produce.</summary>
internal enum OpenApiErrorCode
{
    Composite,
    InvalidType,
    Required,
    TooLong,
    TooShort,
    Pattern,
    Enum,
    MultipleOf,
    Max,
    Min,
    MaxItems,
    MinItems,
    TooFewProperties,
    TooManyProperties,
    PropertyNotAllowed,
}
