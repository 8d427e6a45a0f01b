using System.Net;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Protocols;
using Case = OpenKbs.Aws.Tests.Protocols.ErrorParsingTests.Case;

namespace OpenKbs.Aws.Tests.Protocols;

/// <summary>
/// Captured error answers of the member-account services (moto 5.2.1 bodies, and AWS's documented forms where moto differs),
/// parsed by their protocol's parser and classified. Lambda's 409 ResourceConflictException must be Conflict (wait, never hammer).
/// </summary>
public sealed class ServiceErrorParsingTests
{
    public static TheoryData<Case> Cases =>
    [
        // Lambda (restJson1): x-amzn-ErrorType wins; moto's body uses __type/message, AWS's Type/message or Message.
        new("lambda update in progress (AWS)", AwsProtocol.RestJson1, "lambda", 409,
            """{"Type":"User","message":"The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:eu-central-1:123456789012:function:shop-api"}""",
            ["x-amzn-ErrorType: ResourceConflictException", "x-amzn-RequestId: l-1"], "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:eu-central-1:123456789012:function:shop-api",
            "l-1", AwsErrorClassification.Conflict),
        new("lambda function exists (moto)", AwsProtocol.RestJson1, "lambda", 409,
            """{"__type": "ResourceConflictException", "message": "Function already exist: shop-api"}""",
            ["X-Amzn-ErrorType: ResourceConflictException"], "ResourceConflictException", "Function already exist: shop-api", null, AwsErrorClassification.Conflict),
        new("lambda stale RevisionId", AwsProtocol.RestJson1, "lambda", 412,
            """{"Type":"User","message":"The Revision Id provided does not match the latest Revision Id."}""",
            ["x-amzn-ErrorType: PreconditionFailedException:http://internal.amazon.com/coral/com.amazonaws.awsgirapi/"], "PreconditionFailedException", null, null,
            AwsErrorClassification.Conflict),
        new("lambda not found (moto)", AwsProtocol.RestJson1, "lambda", 404,
            """{"__type": "ResourceNotFoundException", "message": "Function not found: arn:aws:lambda:eu-central-1:123456789012:function:nope"}""",
            ["X-Amzn-ErrorType: ResourceNotFoundException", "x-amzn-requestid: l-2"], "ResourceNotFoundException", null, "l-2", AwsErrorClassification.NotFound),
        new("lambda not found (AWS, Message)", AwsProtocol.RestJson1, "lambda", 404,
            """{"Type":"User","Message":"Function not found: arn:aws:lambda:eu-central-1:123456789012:function:nope"}""",
            ["x-amzn-ErrorType: ResourceNotFoundException"], "ResourceNotFoundException", "Function not found: arn:aws:lambda:eu-central-1:123456789012:function:nope", null,
            AwsErrorClassification.NotFound),
        new("lambda throttled", AwsProtocol.RestJson1, "lambda", 429,
            """{"Reason":"CallerRateLimitExceeded","Type":"User","message":"Rate exceeded"}""",
            ["x-amzn-ErrorType: TooManyRequestsException", "Retry-After: 2"], "TooManyRequestsException", "Rate exceeded", null, AwsErrorClassification.Throttling),
        new("lambda bad runtime", AwsProtocol.RestJson1, "lambda", 400,
            """{"Type":"User","message":"Value nodejs99.x at 'runtime' failed to satisfy constraint"}""",
            ["x-amzn-ErrorType: InvalidParameterValueException"], "InvalidParameterValueException", null, null, AwsErrorClassification.Terminal),
        new("lambda service fault", AwsProtocol.RestJson1, "lambda", 500,
            """{"Type":"Service","message":"internal"}""", ["x-amzn-ErrorType: ServiceException"], "ServiceException", null, null, AwsErrorClassification.Transient),

        // Scheduler (restJson1): moto answers a duplicate with 400, AWS with 409; the code decides.
        new("scheduler duplicate (moto 400)", AwsProtocol.RestJson1, "scheduler", 400,
            """{"__type": "ConflictException", "message": "Schedule s1 already exists."}""",
            ["X-Amzn-ErrorType: ConflictException"], "ConflictException", "Schedule s1 already exists.", null, AwsErrorClassification.Conflict),
        new("scheduler not found (moto)", AwsProtocol.RestJson1, "scheduler", 404,
            """{"__type": "ResourceNotFoundException", "message": "Schedule nope does not exist."}""",
            ["X-Amzn-ErrorType: ResourceNotFoundException"], "ResourceNotFoundException", null, null, AwsErrorClassification.NotFound),
        new("scheduler quota (402)", AwsProtocol.RestJson1, "scheduler", 402,
            """{"Message":"quota"}""", ["x-amzn-ErrorType: ServiceQuotaExceededException"], "ServiceQuotaExceededException", "quota", null, AwsErrorClassification.Terminal),
        new("scheduler bad cron", AwsProtocol.RestJson1, "scheduler", 400,
            """{"Message":"Invalid Schedule Expression cron(0 8 * * * *)."}""", ["x-amzn-ErrorType: ValidationException"], "ValidationException", null, null,
            AwsErrorClassification.Terminal),
        new("scheduler throttled", AwsProtocol.RestJson1, "scheduler", 429, """{"Message":"Rate exceeded"}""",
            ["x-amzn-ErrorType: ThrottlingException"], "ThrottlingException", null, null, AwsErrorClassification.Throttling),

        // RDS (awsQuery).
        new("rds cluster exists (AWS, 400)", AwsProtocol.AwsQuery, "rds", 400,
            """<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>DBClusterAlreadyExistsFault</Code><Message>DB Cluster already exists</Message></Error><RequestId>r-1</RequestId></ErrorResponse>""",
            [], "DBClusterAlreadyExistsFault", "DB Cluster already exists", "r-1", AwsErrorClassification.Conflict),
        new("rds cluster busy with instances (moto)", AwsProtocol.AwsQuery, "rds", 400,
            """<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>InvalidDBClusterStateFault</Code><Message>Cluster cannot be deleted, it still contains DB instances in non-deleting state.</Message></Error><RequestId>r-2</RequestId></ErrorResponse>""",
            [], "InvalidDBClusterStateFault", null, "r-2", AwsErrorClassification.Conflict),
        new("rds not found (moto)", AwsProtocol.AwsQuery, "rds", 404,
            """<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>DBClusterNotFoundFault</Code><Message>DBCluster c1 not found.</Message></Error><RequestId>r-3</RequestId></ErrorResponse>""",
            [], "DBClusterNotFoundFault", "DBCluster c1 not found.", "r-3", AwsErrorClassification.NotFound),
        new("rds protected cluster", AwsProtocol.AwsQuery, "rds", 400,
            """<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterCombination</Code><Message>Cannot delete protected Cluster, please disable deletion protection and try again.</Message></Error><RequestId>r-4</RequestId></ErrorResponse>""",
            [], "InvalidParameterCombination", null, "r-4", AwsErrorClassification.Terminal),
        new("rds throttled", AwsProtocol.AwsQuery, "rds", 400,
            """<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-5</RequestId></ErrorResponse>""",
            [], "Throttling", null, "r-5", AwsErrorClassification.Throttling),

        // CloudFront (restXml, wrapped ErrorResponse).
        new("cloudfront caller reference reused (moto)", AwsProtocol.RestXml, "cloudfront", 409,
            """<?xml version="1.0" encoding="utf-8"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>DistributionAlreadyExists</Code><Message>The caller reference that you are using to create a distribution is associated with another distribution. Already exists: QXEUMK285C753</Message></Error><RequestId>c-1</RequestId></ErrorResponse>""",
            [], "DistributionAlreadyExists", null, "c-1", AwsErrorClassification.Conflict),
        new("cloudfront stale ETag", AwsProtocol.RestXml, "cloudfront", 412,
            """<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>PreconditionFailed</Code><Message>The If-Match version is missing or not valid.</Message></Error><RequestId>c-2</RequestId></ErrorResponse>""",
            [], "PreconditionFailed", null, "c-2", AwsErrorClassification.Conflict),
        new("cloudfront still enabled", AwsProtocol.RestXml, "cloudfront", 409,
            """<ErrorResponse><Error><Type>Sender</Type><Code>DistributionNotDisabled</Code><Message>The distribution you are trying to delete has not been disabled.</Message></Error><RequestId>c-3</RequestId></ErrorResponse>""",
            [], "DistributionNotDisabled", null, "c-3", AwsErrorClassification.Conflict),
        new("cloudfront not found (moto)", AwsProtocol.RestXml, "cloudfront", 404,
            """<?xml version="1.0" encoding="utf-8"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>NoSuchDistribution</Code><Message>The specified distribution does not exist.</Message></Error><RequestId>c-4</RequestId></ErrorResponse>""",
            [], "NoSuchDistribution", "The specified distribution does not exist.", "c-4", AwsErrorClassification.NotFound),
        new("cloudfront alias owned elsewhere", AwsProtocol.RestXml, "cloudfront", 409,
            """<ErrorResponse><Error><Type>Sender</Type><Code>CNAMEAlreadyExists</Code><Message>One or more of the CNAMEs you provided are already associated with a different resource.</Message></Error><RequestId>c-5</RequestId></ErrorResponse>""",
            [], "CNAMEAlreadyExists", null, "c-5", AwsErrorClassification.Terminal),
        new("cloudfront bad quantities", AwsProtocol.RestXml, "cloudfront", 400,
            """<ErrorResponse><Error><Type>Sender</Type><Code>InconsistentQuantities</Code><Message>Quantity doesn't match</Message></Error><RequestId>c-6</RequestId></ErrorResponse>""",
            [], "InconsistentQuantities", null, "c-6", AwsErrorClassification.Terminal),
        new("cloudfront bad certificate", AwsProtocol.RestXml, "cloudfront", 400,
            """<ErrorResponse><Error><Type>Sender</Type><Code>InvalidViewerCertificate</Code><Message>The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.</Message></Error><RequestId>c-7</RequestId></ErrorResponse>""",
            [], "InvalidViewerCertificate", null, "c-7", AwsErrorClassification.Terminal),

        // CloudWatch (awsJson1_0, query-compatible: x-amzn-query-error carries the Query code).
        new("cloudwatch bad parameter (query-compatible)", AwsProtocol.AwsJson10, "monitoring", 400,
            """{"__type":"com.amazonaws.cloudwatch#InvalidParameterValueException","message":"The parameter Period must be a multiple of 60."}""",
            ["x-amzn-query-error: InvalidParameterValue;Sender"], "InvalidParameterValue", "The parameter Period must be a multiple of 60.", null, AwsErrorClassification.Terminal),
        new("cloudwatch bad token", AwsProtocol.AwsJson10, "monitoring", 400,
            """{"__type":"com.amazonaws.cloudwatch#InvalidNextToken","message":"token"}""", [], "InvalidNextToken", null, null, AwsErrorClassification.Terminal),
        new("cloudwatch internal", AwsProtocol.AwsJson10, "monitoring", 500,
            """{"__type":"InternalServiceFault","message":"x"}""", ["x-amzn-query-error: InternalServiceError;Receiver"], "InternalServiceError", null, null,
            AwsErrorClassification.Transient),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_and_classifies(Case c) => new ErrorParsingTests().Parses_and_classifies(c);

    /// <summary>S3 and KMS errors arrive as SDK exceptions; their codes go through the same table.</summary>
    public static TheoryData<string, string, int, AwsErrorClassification> SdkCodes => new()
    {
        { "s3", "NoSuchBucket", 404, AwsErrorClassification.NotFound },
        { "s3", "NoSuchLifecycleConfiguration", 404, AwsErrorClassification.NotFound },
        { "s3", "ServerSideEncryptionConfigurationNotFoundError", 404, AwsErrorClassification.NotFound },
        { "s3", "NoSuchPublicAccessBlockConfiguration", 404, AwsErrorClassification.NotFound },
        { "s3", "NotFound", 404, AwsErrorClassification.NotFound },
        { "s3", "BucketAlreadyOwnedByYou", 409, AwsErrorClassification.Conflict },
        { "s3", "BucketAlreadyExists", 409, AwsErrorClassification.Terminal },
        { "s3", "BucketNotEmpty", 409, AwsErrorClassification.Conflict },
        { "s3", "BadDigest", 400, AwsErrorClassification.Terminal },
        { "s3", "SlowDown", 503, AwsErrorClassification.Throttling },
        { "kms", "NotFoundException", 400, AwsErrorClassification.NotFound },
        { "kms", "AlreadyExistsException", 400, AwsErrorClassification.Conflict },
        { "kms", "KMSInvalidStateException", 400, AwsErrorClassification.Conflict },
        { "kms", "InvalidCiphertextException", 400, AwsErrorClassification.Terminal },
        { "kms", "IncorrectKeyException", 400, AwsErrorClassification.Terminal },
        { "kms", "ThrottlingException", 400, AwsErrorClassification.Throttling },
        { "kms", "KMSInternalException", 500, AwsErrorClassification.Transient },
    };

    [Theory]
    [MemberData(nameof(SdkCodes))]
    public void Sdk_error_codes_are_classified(string service, string code, int status, AwsErrorClassification expected) =>
        Assert.Equal(expected, AwsErrorCodes.Classify(service, code, (HttpStatusCode)status));
}
