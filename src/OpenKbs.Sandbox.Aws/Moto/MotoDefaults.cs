namespace OpenKbs.Sandbox.Aws.Moto;

/// <summary>
/// The dummy identity every local tool uses against moto. moto does not verify signatures; it maps
/// an unknown access key to its default account <see cref="AccountId"/>, and keys of sessions it
/// issued (STS AssumeRole) to the assumed account.
/// </summary>
public static class MotoDefaults
{
    /// <summary>AWS's documented example access key id.</summary>
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";

    /// <summary>AWS's documented example secret.</summary>
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /// <summary>The default region of the product (EU only).</summary>
    public const string Region = "eu-central-1";

    /// <summary>moto's default account: the caller's account for the dummy key (the management account).</summary>
    public const string AccountId = "123456789012";

    /// <summary>The request header moto honours to act as another account (after <c>MOTO_ACCOUNT_ID</c>).</summary>
    public const string AccountIdHeader = "x-moto-account-id";

    /// <summary>moto's endpoint that wipes all state (POST).</summary>
    public const string ResetPath = "/moto-api/reset";
}
