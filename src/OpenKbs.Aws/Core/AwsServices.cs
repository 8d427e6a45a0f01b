namespace OpenKbs.Aws.Core;

/// <summary>
/// The services OpenKBS talks to (aws-wire-protocols.md §3; botocore service-2.json metadata).
/// Descriptors for services whose clients are not written yet are here already so the pipeline, guard and rate limits know them.
/// </summary>
public static class AwsServices
{
    public static readonly AwsService Organizations = new()
    {
        SigningName = "organizations",
        EndpointId = "ORGANIZATIONS",
        Protocol = AwsProtocol.AwsJson11,
        ApiVersion = "2016-11-28",
        TargetPrefix = "AWSOrganizationsV20161128",
        EndpointPrefix = "organizations",
        GlobalEndpoint = new Uri("https://organizations.us-east-1.amazonaws.com"),
    };

    public static readonly AwsService Account = new()
    {
        SigningName = "account",
        EndpointId = "ACCOUNT",
        Protocol = AwsProtocol.RestJson1,
        ApiVersion = "2021-02-01",
        EndpointPrefix = "account",
        GlobalEndpoint = new Uri("https://account.us-east-1.amazonaws.com"),
    };

    public static readonly AwsService Iam = new()
    {
        SigningName = "iam",
        EndpointId = "IAM",
        Protocol = AwsProtocol.AwsQuery,
        ApiVersion = "2010-05-08",
        XmlNamespace = "https://iam.amazonaws.com/doc/2010-05-08/",
        EndpointPrefix = "iam",
        GlobalEndpoint = new Uri("https://iam.amazonaws.com"),
    };

    /// <summary>STS, regional endpoint (never the legacy global host). Called through the official AWSSDK.SecurityToken client.</summary>
    public static readonly AwsService Sts = new()
    {
        SigningName = "sts",
        EndpointId = "STS",
        Protocol = AwsProtocol.AwsQuery,
        ApiVersion = "2011-06-15",
        XmlNamespace = "https://sts.amazonaws.com/doc/2011-06-15/",
        EndpointPrefix = "sts",
    };

    public static readonly AwsService Lambda = new()
    {
        SigningName = "lambda",
        EndpointId = "LAMBDA",
        Protocol = AwsProtocol.RestJson1,
        ApiVersion = "2015-03-31",
        EndpointPrefix = "lambda",
    };

    public static readonly AwsService Rds = new()
    {
        SigningName = "rds",
        EndpointId = "RDS",
        Protocol = AwsProtocol.AwsQuery,
        ApiVersion = "2014-10-31",
        XmlNamespace = "http://rds.amazonaws.com/doc/2014-10-31/",
        EndpointPrefix = "rds",
    };

    public static readonly AwsService CloudFront = new()
    {
        SigningName = "cloudfront",
        EndpointId = "CLOUDFRONT",
        Protocol = AwsProtocol.RestXml,
        ApiVersion = "2020-05-31",
        XmlNamespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/",
        EndpointPrefix = "cloudfront",
        GlobalEndpoint = new Uri("https://cloudfront.amazonaws.com"),
    };

    public static readonly AwsService Scheduler = new()
    {
        SigningName = "scheduler",
        EndpointId = "SCHEDULER",
        Protocol = AwsProtocol.RestJson1,
        ApiVersion = "2021-06-30",
        EndpointPrefix = "scheduler",
    };

    /// <summary>IoT Core's control plane (the MQTT data endpoint is another host, reached by clients, never by the operator).</summary>
    public static readonly AwsService IoT = new()
    {
        SigningName = "iot",
        EndpointId = "IOT",
        Protocol = AwsProtocol.RestJson1,
        ApiVersion = "2015-05-28",
        EndpointPrefix = "iot",
    };

    public static readonly AwsService EventBridge = new()
    {
        SigningName = "events",
        EndpointId = "EVENTBRIDGE",
        Protocol = AwsProtocol.AwsJson11,
        ApiVersion = "2015-10-07",
        TargetPrefix = "AWSEvents",
        EndpointPrefix = "events",
    };

    /// <summary>CloudWatch through its awsJson1_0 protocol (query-compatible errors: x-amzn-query-error).</summary>
    public static readonly AwsService CloudWatch = new()
    {
        SigningName = "monitoring",
        ActionPrefix = "cloudwatch",
        EndpointId = "CLOUDWATCH",
        Protocol = AwsProtocol.AwsJson10,
        ApiVersion = "2010-08-01",
        TargetPrefix = "GraniteServiceVersion20100801",
        XmlNamespace = "http://monitoring.amazonaws.com/doc/2010-08-01/",
        EndpointPrefix = "monitoring",
    };

    public static readonly AwsService S3 = new()
    {
        SigningName = "s3",
        EndpointId = "S3",
        Protocol = AwsProtocol.RestXml,
        ApiVersion = "2006-03-01",
        XmlNamespace = "http://s3.amazonaws.com/doc/2006-03-01/",
        EndpointPrefix = "s3",
    };

    public static readonly AwsService Kms = new()
    {
        SigningName = "kms",
        EndpointId = "KMS",
        Protocol = AwsProtocol.AwsJson11,
        ApiVersion = "2014-11-01",
        TargetPrefix = "TrentService",
        EndpointPrefix = "kms",
    };

    public static readonly AwsService CostExplorer = new()
    {
        SigningName = "ce",
        EndpointId = "COST_EXPLORER",
        Protocol = AwsProtocol.AwsJson11,
        ApiVersion = "2017-10-25",
        TargetPrefix = "AWSInsightsIndexService",
        EndpointPrefix = "ce",
        GlobalEndpoint = new Uri("https://ce.us-east-1.amazonaws.com"),
    };

    /// <summary>Every descriptor above.</summary>
    public static IReadOnlyList<AwsService> All { get; } =
        [Organizations, Account, Iam, Sts, Lambda, Rds, CloudFront, Scheduler, IoT, EventBridge, CloudWatch, S3, Kms, CostExplorer];
}
