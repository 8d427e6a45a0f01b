using OpenKbs.Aws.Organizations;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// What the client (or the approver) must do next, as the step messages say it: the exact console path or command. Every text
/// stays under the 1024 characters of a step message and never contains a secret (the code is only ever named by its Secret).
/// </summary>
internal static class ClientActions
{
    /// <summary>The AWS sign-in page of the root user.</summary>
    public const string SignInUrl = "https://signin.aws.amazon.com/";

    /// <summary>Put the mailed code in the Secret the spec names (or name one).</summary>
    public static string PutCode(string ns, string transfer, string email, string? secret, string? key)
    {
        var name = secret ?? $"{transfer}-code";
        var field = key ?? "code";
        var create = $"kubectl -n {ns} create secret generic {name} --from-literal={field}=<CODE> --dry-run=client -o yaml | kubectl apply -f -";
        return secret is null
            ? $"AWS emailed a verification code to {email}. Put it in a Secret and name it: {create}; then "
              + $"kubectl -n {ns} patch accounttransfer {transfer} --type merge -p '{{\"spec\":{{\"confirmations\":{{\"verificationCodeSecretRef\":{{\"name\":\"{name}\",\"key\":\"{field}\"}}}}}}}}'"
            : $"AWS emailed a verification code to {email}. Put it in Secret {ns}/{name}, key {field}: {create}";
    }

    /// <summary>Confirm the new root password.</summary>
    public static string SetPassword(string ns, string transfer, string email) =>
        $"Sign in at {SignInUrl} as the root user with {email}, choose \"Forgot password?\", set a new password and enable MFA; then confirm: "
        + Confirm(ns, transfer, "passwordSet");

    /// <summary>Make the account able to stand alone and confirm it.</summary>
    public static string MakeStandalone(string ns, string transfer) =>
        "Signed in as the root user: add a payment method (Billing and Cost Management > Payment preferences), verify the phone number and "
        + "check the contact information (Account > Contact information), accept the AWS Customer Agreement if asked, choose a support plan "
        + "(Support > Support plans); then confirm: " + Confirm(ns, transfer, "standaloneReady");

    /// <summary>Give the final, irreversible approval.</summary>
    public static string Approve(string ns, string transfer, string accountId) =>
        $"Approve the irreversible removal of account {accountId} from the organization: " + Confirm(ns, transfer, "removalApproved");

    /// <summary>What an AWS refusal to let the account leave asks of the client.</summary>
    public static string ForLeaveRefusal(string? reason) => reason switch
    {
        ConstraintViolationReasons.AccountCannotLeaveWithoutPhoneVerification =>
            "AWS: the account's phone number is not verified. Signed in as the root user: Account > Contact information > verify the phone number.",
        ConstraintViolationReasons.AccountCannotLeaveWithoutEula =>
            "AWS: the AWS Customer Agreement is not accepted. Sign in as the root user and complete the sign-up AWS shows (accept the agreement).",
        ConstraintViolationReasons.MemberAccountPaymentInstrumentRequired =>
            "AWS: the account has no payment method. Signed in as the root user: Billing and Cost Management > Payment preferences > Add payment method.",
        ConstraintViolationReasons.InvalidPaymentInstrument =>
            "AWS: the account's payment method is not supported. Signed in as the root user: Billing and Cost Management > Payment preferences, add a credit card.",
        ConstraintViolationReasons.WaitPeriodActive =>
            "AWS: a created account must be at least 7 days old before it can leave; nothing to do but wait.",
        ConstraintViolationReasons.AccountCreationNotComplete =>
            "AWS: the account's creation is not complete yet; nothing to do but wait.",
        ConstraintViolationReasons.CannotRemoveDelegatedAdministratorFromOrg =>
            "AWS: the account is a delegated administrator of the organization; the platform team must deregister it first.",
        _ => $"AWS refused the removal ({reason ?? "no reason given"}); see the message of the Ready condition.",
    };

    /// <summary>Delete the access role from inside the account (console or CLI).</summary>
    public static string DeleteRole(string accountId, string role) =>
        $"Remove OpenKBS's access: signed in to account {accountId}, IAM > Roles > {role} > Delete; or with the aws CLI in that account: "
        + $"for p in $(aws iam list-attached-role-policies --role-name {role} --query 'AttachedPolicies[].PolicyArn' --output text); do aws iam detach-role-policy --role-name {role} --policy-arn $p; done; "
        + $"for p in $(aws iam list-role-policies --role-name {role} --query 'PolicyNames' --output text); do aws iam delete-role-policy --role-name {role} --policy-name $p; done; "
        + $"aws iam delete-role --role-name {role}";

    private static string Confirm(string ns, string transfer, string field) =>
        $"kubectl -n {ns} patch accounttransfer {transfer} --type merge -p '{{\"spec\":{{\"confirmations\":{{\"{field}\":true}}}}}}'";
}
