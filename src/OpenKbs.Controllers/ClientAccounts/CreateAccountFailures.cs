using OpenKbs.Api;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// Maps the FailureReason of a FAILED CreateAccount request (aws-wire-protocols.md §4.3) to what to do, and the refusals AWS
/// answers at once to CreateAccount to the same words. Unknown reasons are terminal.
/// </summary>
internal static class CreateAccountFailures
{
    public static CreateAccountFailure Map(string? failureReason, string email)
    {
        var reason = failureReason ?? "UNKNOWN";
        return Map(reason, reason, email);
    }

    /// <summary>
    /// The precise reason and message of a CreateAccount that AWS refused at once (ConstraintViolationException, nothing was
    /// created) because of the organization or its management account: the FAILED reason it means, worded with AWS's own
    /// reason. Null for any other refusal (the engine's generic wording applies).
    /// </summary>
    public static (string Reason, string Message)? Refusal(AwsServiceException exception, string email)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var means = exception.ErrorCode != AwsErrorCode.ConstraintViolationException ? null : exception.Reason switch
        {
            ConstraintViolationReasons.AccountNumberLimitExceeded => "ACCOUNT_LIMIT_EXCEEDED",
            ConstraintViolationReasons.MasterAccountPaymentInstrumentRequired => "MISSING_PAYMENT_INSTRUMENT",
            ConstraintViolationReasons.MasterAccountMissingBusinessLicense => "MISSING_BUSINESS_VALIDATION",
            ConstraintViolationReasons.MasterAccountMissingContactInfo or ConstraintViolationReasons.MasterAccountAddressDoesNotMatchMarketplace => "INVALID_ADDRESS",
            _ => null,
        };
        if (means is null)
        {
            return null;
        }

        var failure = Map(means, exception.Reason!, email);
        return (failure.Reason, failure.Message);
    }

    private static CreateAccountFailure Map(string means, string reason, string email)
    {
        return means switch
        {
            "CONCURRENT_ACCOUNT_MODIFICATION" => Retry(reason, "AWS was already handling a request with the same information; a new request is queued"),
            "INTERNAL_FAILURE" => Retry(reason, "AWS failed internally; a new request is queued"),
            "EMAIL_ALREADY_EXISTS" => Terminal(
                ConditionReasons.TerminalEmailAlreadyExists,
                $"AWS refused email {email}: another AWS account already uses it (EMAIL_ALREADY_EXISTS), and it is not an account of this organization that this ClientAccount created. "
                + "Use another email (a new object: email is immutable); if the account is a member of the organization, set spec.adoptAccountId to its id to manage it"),
            "GOVCLOUD_ACCOUNT_ALREADY_EXISTS" => Terminal(
                ConditionReasons.TerminalEmailAlreadyExists,
                $"AWS refused email {email}: a GovCloud account already uses it (GOVCLOUD_ACCOUNT_ALREADY_EXISTS); use another email"),
            "ACCOUNT_LIMIT_EXCEEDED" => Terminal(
                ConditionReasons.TerminalAccountLimitExceeded,
                $"the organization has reached its account quota ({reason}). Ask AWS for a higher 'Default maximum number of accounts' "
                + "quota (Service Quotas, us-east-1) or close unused accounts, then set openkbs.com/reconcile-requested-at to retry"),
            "INVALID_EMAIL" => Terminal(
                ConditionReasons.TerminalInvalidEmail,
                $"AWS refused email {email} as invalid (INVALID_EMAIL); set spec.email to a deliverable address (a new object: email is immutable)"),
            "INVALID_ADDRESS" => Terminal(
                ConditionReasons.TerminalCreateAccountFailed,
                $"AWS refused the management account's address ({reason}); correct the contact address of the management account, then set openkbs.com/reconcile-requested-at to retry"),
            "MISSING_BUSINESS_VALIDATION" or "FAILED_BUSINESS_VALIDATION" or "PENDING_BUSINESS_VALIDATION"
                or "INVALID_IDENTITY_FOR_BUSINESS_VALIDATION" or "UNKNOWN_BUSINESS_VALIDATION" or "IDENTITY_INVALID_BUSINESS_VALIDATION" => Terminal(
                ConditionReasons.TerminalCreateAccountFailed,
                $"AWS has not validated the management account's business information ({reason}); complete the validation with AWS Support, "
                + "then set openkbs.com/reconcile-requested-at to retry"),
            "MISSING_PAYMENT_INSTRUMENT" or "INVALID_PAYMENT_INSTRUMENT" => Terminal(
                ConditionReasons.TerminalCreateAccountFailed,
                $"the management account has no valid payment method ({reason}); add one in the Billing console, then set openkbs.com/reconcile-requested-at to retry"),
            _ => Terminal(
                ConditionReasons.TerminalCreateAccountFailed,
                $"AWS failed the account creation with {reason}; see the AWS Organizations documentation for this reason, fix the cause, "
                + "then set openkbs.com/reconcile-requested-at to retry"),
        };
    }

    private static CreateAccountFailure Retry(string reason, string message) => new(true, ConditionReasons.Creating, $"CreateAccount failed with {reason}: {message}");

    private static CreateAccountFailure Terminal(string reason, string message) => new(false, reason, message);
}
