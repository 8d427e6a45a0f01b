namespace OpenKbs.Aws.Core;

/// <summary>AWS error codes a caller tests for by name (the wire's own spelling); classification stays in <see cref="AwsErrorCodes"/>.</summary>
public static class AwsErrorCode
{
    public const string AccessDenied = "AccessDenied";

    public const string AccessDeniedException = "AccessDeniedException";

    public const string AccountAlreadyClosedException = "AccountAlreadyClosedException";

    public const string AccountNotFoundException = "AccountNotFoundException";

    public const string AWSOrganizationsNotInUseException = "AWSOrganizationsNotInUseException";

    public const string BucketAlreadyOwnedByYou = "BucketAlreadyOwnedByYou";

    public const string ConflictException = "ConflictException";

    public const string ConstraintViolationException = "ConstraintViolationException";

    public const string DBClusterAlreadyExistsFault = "DBClusterAlreadyExistsFault";

    public const string DBInstanceAlreadyExists = "DBInstanceAlreadyExists";

    public const string DBInstanceAlreadyExistsFault = "DBInstanceAlreadyExistsFault";

    public const string DistributionAlreadyExists = "DistributionAlreadyExists";

    public const string DistributionNotDisabled = "DistributionNotDisabled";

    public const string DuplicateOrganizationalUnitException = "DuplicateOrganizationalUnitException";

    public const string DuplicatePolicyAttachmentException = "DuplicatePolicyAttachmentException";

    public const string DuplicatePolicyException = "DuplicatePolicyException";

    public const string EntityAlreadyExists = "EntityAlreadyExists";

    public const string InvalidIfMatchVersion = "InvalidIfMatchVersion";

    public const string InvalidParameterValueException = "InvalidParameterValueException";

    public const string MasterCannotLeaveOrganizationException = "MasterCannotLeaveOrganizationException";

    public const string NoSuchBucket = "NoSuchBucket";

    public const string NoSuchEntity = "NoSuchEntity";

    public const string NoSuchTagSet = "NoSuchTagSet";

    public const string OriginAccessControlAlreadyExists = "OriginAccessControlAlreadyExists";

    public const string PolicyTypeAlreadyEnabledException = "PolicyTypeAlreadyEnabledException";

    public const string PolicyTypeNotEnabledException = "PolicyTypeNotEnabledException";

    public const string PreconditionFailed = "PreconditionFailed";

    public const string ResourceNotFoundException = "ResourceNotFoundException";

    public const string ValidationException = "ValidationException";
}
