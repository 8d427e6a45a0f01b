namespace OpenKbs.Aws.Core;

/// <summary>
/// Everything the pipeline needs to know about one AWS service: how to reach it, how to sign for it, how it speaks.
/// The instances live in <see cref="AwsServices"/>; add one there when adding a client (docs/aws.md, "How to add a service client").
/// </summary>
public sealed record AwsService
{
    /// <summary>The SigV4 signing name and the key of the error table, e.g. <c>organizations</c>, <c>monitoring</c>.</summary>
    public required string SigningName { get; init; }

    /// <summary>The service id used by <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c>, upper case with underscores, e.g. <c>ORGANIZATIONS</c>, <c>COST_EXPLORER</c>.</summary>
    public required string EndpointId { get; init; }

    public required AwsProtocol Protocol { get; init; }

    /// <summary>The API version (the Query <c>Version</c> parameter, the REST path root).</summary>
    public required string ApiVersion { get; init; }

    /// <summary>The X-Amz-Target prefix for awsJson protocols.</summary>
    public string? TargetPrefix { get; init; }

    /// <summary>The XML namespace of awsQuery / restXml documents.</summary>
    public string? XmlNamespace { get; init; }

    /// <summary>The host prefix of the regional endpoint (<c>https://{prefix}.{region}.amazonaws.com</c>).</summary>
    public required string EndpointPrefix { get; init; }

    /// <summary>
    /// For global services (Organizations, Account, IAM, CloudFront, Cost Explorer) the fixed endpoint; they are signed for
    /// <see cref="GlobalSigningRegion"/> and hold no regional data, so the EU region guard does not apply to the call itself.
    /// </summary>
    public Uri? GlobalEndpoint { get; init; }

    public bool IsGlobal => GlobalEndpoint is not null;

    /// <summary>The IAM action prefix used in audit actions (<c>cloudwatch</c> for the <c>monitoring</c> signing name); defaults to the signing name.</summary>
    public string ActionPrefix
    {
        get => _actionPrefix ?? SigningName;
        init => _actionPrefix = value;
    }

    private readonly string? _actionPrefix;

    /// <summary>The signing region of every global service in the aws partition.</summary>
    public const string GlobalSigningRegion = "us-east-1";

    public override string ToString() => SigningName;
}
