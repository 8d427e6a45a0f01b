namespace OpenKbs.Aws.Core;

/// <summary>The AWS wire protocols the hand-written clients speak (see docs/aws.md and aws-wire-protocols.md §1).</summary>
public enum AwsProtocol
{
    /// <summary>POST / with X-Amz-Target and application/x-amz-json-1.0 (CloudWatch in its JSON form).</summary>
    AwsJson10,

    /// <summary>POST / with X-Amz-Target and application/x-amz-json-1.1 (Organizations, EventBridge, KMS, Cost Explorer).</summary>
    AwsJson11,

    /// <summary>REST paths with JSON bodies (Lambda, Account, Scheduler).</summary>
    RestJson1,

    /// <summary>POST / form-encoded Action=...&amp;Version=..., XML responses (IAM, STS, RDS).</summary>
    AwsQuery,

    /// <summary>REST paths with XML bodies (CloudFront, S3).</summary>
    RestXml,
}
