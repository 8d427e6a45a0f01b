using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Which account goes to the client, under which root email, and the client's confirmations.</summary>
public sealed record AccountTransferSpec
{
    /// <summary>The ClientAccount, in this namespace, whose AWS account is transferred. Immutable.</summary>
    [Immutable("clientAccountRef is immutable: create another AccountTransfer for another account")]
    public required LocalObjectReference ClientAccountRef { get; init; }

    /// <summary>The email that becomes the account's root email, owned by the client. AWS sends a verification
    /// code to it.</summary>
    [MinLength(6)]
    [MaxLength(64)]
    [CelRule("self.matches('" + Patterns.Email + "')", "newRootEmail must be an email address such as it@client.example")]
    public required string NewRootEmail { get; init; }

    /// <summary>The client's confirmations of the steps only a human can do.</summary>
    public TransferConfirmations? Confirmations { get; init; }
}
