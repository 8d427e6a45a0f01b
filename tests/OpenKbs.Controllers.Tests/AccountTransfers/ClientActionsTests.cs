using OpenKbs.Aws.Organizations;
using OpenKbs.Controllers.AccountTransfers;

namespace OpenKbs.Controllers.Tests.AccountTransfers;

public sealed class ClientActionsTests
{
    [Fact]
    public void Every_instruction_names_the_exact_command_and_fits_a_step_message()
    {
        string[] all =
        [
            ClientActions.PutCode("acme", "acme-handover", "it@acme.example", null, null),
            ClientActions.PutCode("acme", "acme-handover", "it@acme.example", "acme-code", "otp"),
            ClientActions.SetPassword("acme", "acme-handover", "it@acme.example"),
            ClientActions.MakeStandalone("acme", "acme-handover"),
            ClientActions.Approve("acme", "acme-handover", "409386123377"),
            ClientActions.DeleteRole("409386123377", "OrganizationAccountAccessRole"),
        ];

        Assert.All(all, m => Assert.InRange(m.Length, 40, 1024));
        Assert.Contains("kubectl -n acme create secret generic acme-code --from-literal=otp=<CODE>", all[1], StringComparison.Ordinal);
        Assert.Contains("\"verificationCodeSecretRef\":{\"name\":\"acme-handover-code\",\"key\":\"code\"}", all[0], StringComparison.Ordinal);
        Assert.Contains("kubectl -n acme patch accounttransfer acme-handover --type merge -p '{\"spec\":{\"confirmations\":{\"passwordSet\":true}}}'", all[2], StringComparison.Ordinal);
        Assert.Contains("{\"standaloneReady\":true}", all[3], StringComparison.Ordinal);
        Assert.Contains("{\"removalApproved\":true}", all[4], StringComparison.Ordinal);
        Assert.EndsWith("aws iam delete-role --role-name OrganizationAccountAccessRole", all[5], StringComparison.Ordinal);
        Assert.Contains("IAM > Roles > OrganizationAccountAccessRole > Delete", all[5], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConstraintViolationReasons.AccountCannotLeaveWithoutPhoneVerification, "verify the phone number")]
    [InlineData(ConstraintViolationReasons.AccountCannotLeaveWithoutEula, "Customer Agreement")]
    [InlineData(ConstraintViolationReasons.MemberAccountPaymentInstrumentRequired, "Add payment method")]
    [InlineData(ConstraintViolationReasons.InvalidPaymentInstrument, "credit card")]
    [InlineData(ConstraintViolationReasons.WaitPeriodActive, "7 days")]
    [InlineData("SOMETHING_NEW", "SOMETHING_NEW")]
    [InlineData(null, "no reason given")]
    public void Each_leave_refusal_says_what_the_client_must_still_do(string? reason, string expected) =>
        Assert.Contains(expected, ClientActions.ForLeaveRefusal(reason), StringComparison.Ordinal);
}
