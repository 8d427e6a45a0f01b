using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>A Lambda function of the project, running code from the project's artifact.</summary>
public sealed record FunctionSpec
{
    /// <summary>The function's name within the project: lowercase letters, digits and '-', at most 32 characters.</summary>
    [Pattern(Patterns.ShortName)]
    [MaxLength(32)]
    public required string Name { get; init; }

    /// <summary>The handler within the artifact, e.g. <c>src/api.handler</c> (file without extension, then the export).</summary>
    [MinLength(1)]
    [MaxLength(128)]
    [Pattern(@"^\S+$")]
    public required string Handler { get; init; }

    /// <summary>The Lambda runtime.</summary>
    [Enum(LambdaRuntimes.NodeJs24, LambdaRuntimes.NodeJs22)]
    [Default(LambdaRuntimes.NodeJs24)]
    public string Runtime { get; init; } = LambdaRuntimes.NodeJs24;

    /// <summary>Memory in MB, 128 to 10240; 128 when absent.</summary>
    [Minimum(128)]
    [Maximum(10240)]
    public int? MemoryMb { get; init; }

    /// <summary>Timeout in seconds, 1 to 900; 3 when absent.</summary>
    [Minimum(1)]
    [Maximum(900)]
    public int? TimeoutSeconds { get; init; }

    /// <summary>Environment variables (at most 50). Not for secrets. Names reserved by Lambda (AWS_LAMBDA_*,
    /// AWS_REGION, _HANDLER, ...) and the operator's OPENKBS_* are refused.</summary>
    [MaxProperties(50)]
    [ItemMaxLength(4096)]
    [CelRule(
        "self.all(k, size(k) <= 128 && !k.startsWith('OPENKBS_') && !k.startsWith('AWS_LAMBDA_') && !k.startsWith('LAMBDA_') && !k.startsWith('_') && k != 'AWS_REGION' && k != 'AWS_DEFAULT_REGION' && k != 'AWS_EXECUTION_ENV' && k != 'AWS_ACCESS_KEY' && k != 'AWS_ACCESS_KEY_ID' && k != 'AWS_SECRET_ACCESS_KEY' && k != 'AWS_SESSION_TOKEN')",
        "environment variable names must be at most 128 characters and must not be reserved: OPENKBS_*, AWS_LAMBDA_*, LAMBDA_*, names starting with '_', AWS_REGION, AWS_DEFAULT_REGION, AWS_EXECUTION_ENV and AWS credentials")]
    public IDictionary<string, string>? Environment { get; init; }
}
