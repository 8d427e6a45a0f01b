using System.Collections.Frozen;
using System.Net;

namespace OpenKbs.Aws.Core;

/// <summary>
/// The one table that turns an AWS error into an <see cref="AwsErrorClassification"/>. Order of decision:
/// 1. the per-service table (service-specific terminal, conflict and not-found codes, plus Organizations reasons),
/// 2. the cross-service throttling / transient codes (botocore's retry lists),
/// 3. the HTTP status (429 throttling, 5xx transient, 404 not found, 409 conflict, 412 conflict),
/// 4. anything else is terminal.
/// A controller keeps a resource Terminal only for <see cref="AwsErrorClassification.Terminal"/>.
/// </summary>
public static class AwsErrorCodes
{
    /// <summary>Throttling codes across AWS (botocore retryhandler + standard retry mode lists).</summary>
    public static readonly FrozenSet<string> Throttling = FrozenSet.Create(
        StringComparer.Ordinal,
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
        "LimitExceededException");

    /// <summary>Transient codes across AWS (server faults and timeouts that a retry may fix).</summary>
    public static readonly FrozenSet<string> Transient = FrozenSet.Create(
        StringComparer.Ordinal,
        "RequestTimeout",
        "RequestTimeoutException",
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "InternalServerException",
        "InternalServiceError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "ServiceException",
        "ServiceFailure",
        "IDPCommunicationError",
        "NetworkError",
        "KMSInternalException",
        "DependencyTimeoutException");

    private static readonly FrozenDictionary<string, FrozenDictionary<string, AwsErrorClassification>> PerService =
        new Dictionary<string, FrozenDictionary<string, AwsErrorClassification>>(StringComparer.Ordinal)
        {
            ["organizations"] = Table(
                notFound:
                [
                    "AccountNotFoundException", "AWSOrganizationsNotInUseException", "ChildNotFoundException",
                    "CreateAccountStatusNotFoundException", "DestinationParentNotFoundException", "OrganizationalUnitNotFoundException",
                    "ParentNotFoundException", "PolicyNotFoundException", "RootNotFoundException", "SourceParentNotFoundException",
                    "TargetNotFoundException", "PolicyNotAttachedException", "EffectivePolicyNotFoundException",
                ],
                conflict:
                [
                    "ConcurrentModificationException", "ConflictException", "DuplicateAccountException", "DuplicateOrganizationalUnitException",
                    "DuplicatePolicyException", "DuplicatePolicyAttachmentException", "AlreadyInOrganizationException",
                    "PolicyChangesInProgressException", "FinalizingOrganizationException", "PolicyInUseException",
                    "PolicyTypeAlreadyEnabledException", "PolicyTypeNotEnabledException", "OrganizationalUnitNotEmptyException",
                ],
                terminal:
                [
                    "AccessDeniedException", "AccessDeniedForDependencyException", "ConstraintViolationException", "InvalidInputException",
                    "MalformedPolicyDocumentException", "PolicyTypeNotAvailableForOrganizationException", "UnsupportedAPIEndpointException",
                    "AccountAlreadyClosedException", "MasterCannotLeaveOrganizationException", "AccountOwnerNotVerifiedException",
                    "AccountAlreadyRegisteredException", "AccountNotRegisteredException",
                ],
                throttling: ["TooManyRequestsException"]),
            ["account"] = Table(
                notFound: ["ResourceNotFoundException"],
                conflict: ["ConflictException"],
                terminal: ["ValidationException", "AccessDeniedException"],
                transient: ["ResourceUnavailableException", "InternalServerException"],
                throttling: ["TooManyRequestsException"]),
            ["iam"] = Table(
                notFound: ["NoSuchEntity"],
                conflict: ["EntityAlreadyExists", "DeleteConflict", "ConcurrentModification", "EntityTemporarilyUnmodifiable"],
                terminal:
                [
                    "LimitExceeded", "InvalidInput", "MalformedPolicyDocument", "UnmodifiableEntity", "PolicyNotAttachable",
                    "PolicyEvaluation", "AccessDenied", "ValidationError", "InvalidClientTokenId", "SignatureDoesNotMatch",
                ],
                transient: ["ServiceFailure"]),
            ["sts"] = Table(
                notFound: [],
                conflict: [],
                terminal:
                [
                    "AccessDenied", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException", "ExpiredTokenException",
                    "ValidationError", "InvalidClientTokenId", "SignatureDoesNotMatch",
                ],
                transient: ["IDPCommunicationError"]),
            ["lambda"] = Table(
                notFound: ["ResourceNotFoundException", "CodeSigningConfigNotFoundException"],
                conflict: ["ResourceConflictException", "PreconditionFailedException", "ResourceInUseException", "ResourceNotReadyException"],
                terminal:
                [
                    "InvalidParameterValueException", "CodeStorageExceededException", "CodeVerificationFailedException",
                    "InvalidCodeSignatureException", "RequestTooLargeException", "UnsupportedMediaTypeException", "AccessDeniedException",
                ],
                throttling: ["TooManyRequestsException"],
                transient: ["ServiceException", "EC2UnexpectedException", "ENILimitReachedException"]),
            ["rds"] = Table(
                notFound:
                [
                    "DBClusterNotFoundFault", "DBInstanceNotFound", "DBSubnetGroupNotFoundFault", "DBClusterParameterGroupNotFound",
                    "DBClusterSnapshotNotFoundFault", "DBParameterGroupNotFound",
                ],
                conflict:
                [
                    "DBClusterAlreadyExistsFault", "DBInstanceAlreadyExists", "InvalidDBClusterStateFault", "InvalidDBInstanceState",
                    "DBClusterSnapshotAlreadyExistsFault", "InvalidDBSubnetGroupStateFault",
                ],
                terminal:
                [
                    "DBClusterQuotaExceededFault", "InstanceQuotaExceeded", "StorageQuotaExceeded", "InvalidParameterValue",
                    "InvalidParameterCombination", "InvalidSubnet", "KMSKeyNotAccessibleFault", "InvalidVPCNetworkStateFault",
                    "InsufficientStorageClusterCapacity", "InsufficientDBInstanceCapacity", "InsufficientDBClusterCapacityFault",
                    "InvalidRestoreFault", "SnapshotQuotaExceeded", "MissingParameter", "AccessDenied",
                ]),
            ["cloudfront"] = Table(
                notFound: ["NoSuchDistribution", "NoSuchOrigin", "NoSuchOriginAccessControl", "NoSuchResource", "NoSuchCachePolicy"],
                conflict:
                [
                    "PreconditionFailed", "InvalidIfMatchVersion", "DistributionAlreadyExists", "DistributionNotDisabled",
                    "OriginAccessControlAlreadyExists", "OriginAccessControlInUse", "IllegalUpdate",
                ],
                terminal:
                [
                    "InvalidArgument", "AccessDenied", "TooManyDistributions", "InconsistentQuantities", "MissingBody", "CNAMEAlreadyExists",
                    "InvalidViewerCertificate", "InvalidMinimumProtocolVersion", "InvalidOriginAccessControl", "TooManyOriginAccessControls",
                ],
                throttling: ["Throttling"]),
            ["scheduler"] = Table(
                notFound: ["ResourceNotFoundException"],
                conflict: ["ConflictException"],
                terminal: ["ValidationException", "ServiceQuotaExceededException", "AccessDeniedException"],
                throttling: ["ThrottlingException"],
                transient: ["InternalServerException"]),
            ["iot"] = Table(
                notFound: ["ResourceNotFoundException"],
                conflict: ["ConflictingResourceUpdateException", "ResourceAlreadyExistsException"],
                terminal: ["InvalidRequestException", "UnauthorizedException", "LimitExceededException"],
                throttling: ["ThrottlingException"],
                transient: ["InternalFailureException", "ServiceUnavailableException"]),
            ["monitoring"] = Table(
                notFound: ["ResourceNotFound", "ResourceNotFoundException"],
                conflict: ["ConcurrentModificationException"],
                terminal: ["InvalidParameterValue", "InvalidParameterCombination", "MissingParameter", "InvalidNextToken", "LimitExceeded"],
                transient: ["InternalServiceError", "InternalServiceFault"]),
            ["s3"] = Table(
                notFound:
                [
                    "NoSuchBucket", "NoSuchKey", "NoSuchBucketPolicy", "NoSuchPublicAccessBlockConfiguration", "NotFound", "NoSuchTagSet",
                    "NoSuchLifecycleConfiguration", "ServerSideEncryptionConfigurationNotFoundError", "NoSuchVersion", "OwnershipControlsNotFoundError",
                    "ObjectLockConfigurationNotFoundError",
                ],
                conflict: ["BucketAlreadyOwnedByYou", "OperationAborted", "BucketNotEmpty", "PreconditionFailed"],
                terminal:
                [
                    "BucketAlreadyExists", "AccessDenied", "InvalidBucketName", "IllegalLocationConstraintException", "InvalidLocationConstraint",
                    "BadDigest", "XAmzContentSHA256Mismatch", "InvalidDigest",
                ],
                throttling: ["SlowDown"]),
            ["kms"] = Table(
                notFound: ["NotFoundException"],
                conflict: ["KMSInvalidStateException", "AlreadyExistsException"],
                terminal:
                [
                    "DisabledException", "InvalidKeyUsageException", "InvalidGrantTokenException", "InvalidCiphertextException",
                    "IncorrectKeyException", "AccessDeniedException", "KeyUnavailableException",
                ],
                transient: ["KMSInternalException", "DependencyTimeoutException"]),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Organizations <c>ConstraintViolationException</c> reasons that clear up by themselves: retry later instead of stopping.
    /// Everything else under ConstraintViolationException (account quota, OU depth, payment instrument) is terminal.
    /// </summary>
    public static readonly FrozenSet<string> OrganizationsRetryableReasons = FrozenSet.Create(
        StringComparer.Ordinal,
        "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED",
        "CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED",
        "WAIT_PERIOD_ACTIVE",
        "ACCOUNT_CREATION_NOT_COMPLETE");

    /// <summary>Classifies an error answered by AWS.</summary>
    /// <param name="service">The signing name of the service (see <see cref="AwsService.SigningName"/>).</param>
    /// <param name="code">The normalised error code.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="reason">The <c>Reason</c> member of the error body, if any.</param>
    public static AwsErrorClassification Classify(string service, string code, HttpStatusCode status, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(code);

        if (service == "organizations" && code == "ConstraintViolationException" && reason is not null
            && OrganizationsRetryableReasons.Contains(reason))
        {
            return AwsErrorClassification.Conflict;
        }

        if (PerService.TryGetValue(service, out var table) && table.TryGetValue(code, out var classified))
        {
            return classified;
        }

        if (Throttling.Contains(code))
        {
            return AwsErrorClassification.Throttling;
        }

        if (Transient.Contains(code))
        {
            return AwsErrorClassification.Transient;
        }

        var numeric = (int)status;
        return numeric switch
        {
            429 => AwsErrorClassification.Throttling,
            >= 500 => AwsErrorClassification.Transient,
            404 => AwsErrorClassification.NotFound,
            409 or 412 => AwsErrorClassification.Conflict,
            _ => AwsErrorClassification.Terminal,
        };
    }

    /// <summary>The codes a service's table names explicitly, by classification (for documentation and tests).</summary>
    public static IReadOnlyDictionary<string, AwsErrorClassification> CodesFor(string service) =>
        PerService.TryGetValue(service, out var table) ? table : FrozenDictionary<string, AwsErrorClassification>.Empty;

    private static FrozenDictionary<string, AwsErrorClassification> Table(
        string[] notFound,
        string[] conflict,
        string[] terminal,
        string[]? throttling = null,
        string[]? transient = null)
    {
        var map = new Dictionary<string, AwsErrorClassification>(StringComparer.Ordinal);
        foreach (var c in notFound)
        {
            map[c] = AwsErrorClassification.NotFound;
        }

        foreach (var c in conflict)
        {
            map[c] = AwsErrorClassification.Conflict;
        }

        foreach (var c in terminal)
        {
            map[c] = AwsErrorClassification.Terminal;
        }

        foreach (var c in throttling ?? [])
        {
            map[c] = AwsErrorClassification.Throttling;
        }

        foreach (var c in transient ?? [])
        {
            map[c] = AwsErrorClassification.Transient;
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
