using OpenKbs.Api;
using OpenKbs.Controllers.ClientAccounts;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

public sealed class CreateAccountFailuresTests
{
    public static TheoryData<string?, bool, string, string> Cases => new()
    {
        { "CONCURRENT_ACCOUNT_MODIFICATION", true, ConditionReasons.Creating, "queued" },
        { "INTERNAL_FAILURE", true, ConditionReasons.Creating, "queued" },
        { "EMAIL_ALREADY_EXISTS", false, ConditionReasons.TerminalEmailAlreadyExists, "adoptAccountId" },
        { "GOVCLOUD_ACCOUNT_ALREADY_EXISTS", false, ConditionReasons.TerminalEmailAlreadyExists, "another email" },
        { "ACCOUNT_LIMIT_EXCEEDED", false, ConditionReasons.TerminalAccountLimitExceeded, "Service Quotas" },
        { "INVALID_EMAIL", false, ConditionReasons.TerminalInvalidEmail, "deliverable address" },
        { "INVALID_ADDRESS", false, ConditionReasons.TerminalCreateAccountFailed, "contact address" },
        { "MISSING_BUSINESS_VALIDATION", false, ConditionReasons.TerminalCreateAccountFailed, "business information" },
        { "FAILED_BUSINESS_VALIDATION", false, ConditionReasons.TerminalCreateAccountFailed, "business information" },
        { "PENDING_BUSINESS_VALIDATION", false, ConditionReasons.TerminalCreateAccountFailed, "business information" },
        { "INVALID_IDENTITY_FOR_BUSINESS_VALIDATION", false, ConditionReasons.TerminalCreateAccountFailed, "business information" },
        { "UNKNOWN_BUSINESS_VALIDATION", false, ConditionReasons.TerminalCreateAccountFailed, "business information" },
        { "MISSING_PAYMENT_INSTRUMENT", false, ConditionReasons.TerminalCreateAccountFailed, "payment method" },
        { "INVALID_PAYMENT_INSTRUMENT", false, ConditionReasons.TerminalCreateAccountFailed, "payment method" },
        { "SOMETHING_NEW", false, ConditionReasons.TerminalCreateAccountFailed, "SOMETHING_NEW" },
        { null, false, ConditionReasons.TerminalCreateAccountFailed, "UNKNOWN" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_failure_reason_says_whether_to_retry_and_what_to_do(string? failureReason, bool retry, string reason, string fragment)
    {
        var failure = CreateAccountFailures.Map(failureReason, "aws+acme@example.com");

        Assert.Equal(retry, failure.Retry);
        Assert.Equal(reason, failure.Reason);
        Assert.Contains(fragment, failure.Message, StringComparison.Ordinal);
        Assert.Equal(!retry, ConditionReasons.IsTerminal(failure.Reason));
    }
}
