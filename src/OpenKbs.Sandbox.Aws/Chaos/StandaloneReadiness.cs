namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// What a member account needs before AWS lets it leave its organization, as the client sets it signed in as the account's
/// root user (the console's payment method, the customer agreement, the phone verification): none of it has an API on AWS, so
/// the sandbox takes it through <c>POST /__chaos/account/standalone</c> or <see cref="AwsChaosEngine.SetStandaloneReadiness"/>.
/// An account created by CreateAccount has none of it.
/// </summary>
/// <param name="PaymentMethod">A valid payment method is on the account.</param>
/// <param name="Eula">The AWS Customer Agreement is accepted.</param>
/// <param name="PhoneVerified">The account's phone number is verified.</param>
public sealed record StandaloneReadiness(bool PaymentMethod = false, bool Eula = false, bool PhoneVerified = false)
{
    /// <summary>Nothing set yet (an account made by CreateAccount).</summary>
    public static StandaloneReadiness None { get; } = new();

    /// <summary>Everything set: the account may leave.</summary>
    public static StandaloneReadiness Complete { get; } = new(true, true, true);

    /// <summary>
    /// The Organizations <c>ConstraintViolationException</c> reason RemoveAccountFromOrganization answers first, or null when the
    /// account may leave. Checked in this order: phone verification, customer agreement, payment method (AWS documents the
    /// reasons, not their order; this is the order of the console's sign-up).
    /// </summary>
    public string? FirstRefusal =>
        !PhoneVerified ? "ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION"
        : !Eula ? "ACCOUNT_CANNOT_LEAVE_WITHOUT_EULA"
        : !PaymentMethod ? "MEMBER_ACCOUNT_PAYMENT_INSTRUMENT_REQUIRED"
        : null;
}
