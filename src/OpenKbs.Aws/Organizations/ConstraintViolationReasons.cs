namespace OpenKbs.Aws.Organizations;

/// <summary>
/// The <c>Reason</c> values of an Organizations <c>ConstraintViolationException</c> a caller tests for by name (the wire's own
/// spelling, from the Organizations API model): those of RemoveAccountFromOrganization (the account is not yet able to stand
/// alone, or must wait) and those of CreateAccount (the organization or its management account cannot create one now).
/// </summary>
public static class ConstraintViolationReasons
{
    /// <summary>The account's phone number is not verified yet.</summary>
    public const string AccountCannotLeaveWithoutPhoneVerification = "ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION";

    /// <summary>The AWS Customer Agreement is not accepted yet.</summary>
    public const string AccountCannotLeaveWithoutEula = "ACCOUNT_CANNOT_LEAVE_WITHOUT_EULA";

    /// <summary>The member account has no valid payment instrument (the model's name for "no payment method").</summary>
    public const string MemberAccountPaymentInstrumentRequired = "MEMBER_ACCOUNT_PAYMENT_INSTRUMENT_REQUIRED";

    /// <summary>The payment instrument on the account is not supported.</summary>
    public const string InvalidPaymentInstrument = "INVALID_PAYMENT_INSTRUMENT";

    /// <summary>The account cannot leave (e.g. the management account).</summary>
    public const string AccountCannotLeaveOrganization = "ACCOUNT_CANNOT_LEAVE_ORGANIZATION";

    /// <summary>A created account must wait a while (AWS: at least seven days) before it can leave.</summary>
    public const string WaitPeriodActive = "WAIT_PERIOD_ACTIVE";

    /// <summary>The account's creation is not complete yet.</summary>
    public const string AccountCreationNotComplete = "ACCOUNT_CREATION_NOT_COMPLETE";

    /// <summary>The account is a delegated administrator and must be deregistered first.</summary>
    public const string CannotRemoveDelegatedAdministratorFromOrg = "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG";

    /// <summary>Too many CreateAccount requests are in progress in the organization (clears up by itself).</summary>
    public const string AccountCreationRateLimitExceeded = "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED";

    /// <summary>The organization has reached its account quota.</summary>
    public const string AccountNumberLimitExceeded = "ACCOUNT_NUMBER_LIMIT_EXCEEDED";

    /// <summary>The management account has no valid payment instrument.</summary>
    public const string MasterAccountPaymentInstrumentRequired = "MASTER_ACCOUNT_PAYMENT_INSTRUMENT_REQUIRED";

    /// <summary>The management account's business license is missing (accounts in India).</summary>
    public const string MasterAccountMissingBusinessLicense = "MASTER_ACCOUNT_MISSING_BUSINESS_LICENSE";

    /// <summary>The management account has no complete contact information.</summary>
    public const string MasterAccountMissingContactInfo = "MASTER_ACCOUNT_MISSING_CONTACT_INFO";

    /// <summary>The management account's address does not match its AWS marketplace.</summary>
    public const string MasterAccountAddressDoesNotMatchMarketplace = "MASTER_ACCOUNT_ADDRESS_DOES_NOT_MATCH_MARKETPLACE";
}
