namespace OpenKbs.Aws.Organizations;

/// <summary>
/// The <c>Reason</c> values of an Organizations <c>ConstraintViolationException</c> a caller tests for by name (the wire's own
/// spelling, from the Organizations API model), here those of RemoveAccountFromOrganization: the account is not yet able to
/// stand alone, or must wait.
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
}
