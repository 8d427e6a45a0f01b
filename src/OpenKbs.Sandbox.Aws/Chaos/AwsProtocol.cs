namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>The AWS wire protocol of one request.</summary>
internal enum AwsProtocol
{
    /// <summary>awsJson1_0 / awsJson1_1: POST / with X-Amz-Target.</summary>
    Json,

    /// <summary>restJson1: method + path, JSON bodies, x-amzn-ErrorType on errors.</summary>
    RestJson,

    /// <summary>awsQuery: form body with Action=, XML answers.</summary>
    Query,

    /// <summary>restXml: method + path, XML bodies (CloudFront, S3).</summary>
    RestXml,

    /// <summary>smithy-rpc-v2-cbor (CloudWatch's current default).</summary>
    Cbor,
}
