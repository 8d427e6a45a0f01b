using OpenKbs.Aws.AccountManagement.Model;

namespace OpenKbs.Aws.AccountManagement;

/// <summary>
/// AWS Account Management (restJson1, global, signed us-east-1): the primary-email flow and the contact information.
/// Names and shapes follow the official AWSSDK.Account client. Needs trusted access for account.amazonaws.com in the organization.
/// </summary>
public interface IAccountClient
{
    /// <summary>The root email of a member account.</summary>
    Task<GetPrimaryEmailResponse> GetPrimaryEmailAsync(GetPrimaryEmailRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts a root-email change: AWS mails a one-time code to the new address (3 per 30 s per account).</summary>
    Task<StartPrimaryEmailUpdateResponse> StartPrimaryEmailUpdateAsync(StartPrimaryEmailUpdateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Completes the change with the code from the new mailbox.</summary>
    Task<AcceptPrimaryEmailUpdateResponse> AcceptPrimaryEmailUpdateAsync(AcceptPrimaryEmailUpdateRequest request, CancellationToken cancellationToken = default);

    /// <summary>The primary contact of an account.</summary>
    Task<GetContactInformationResponse> GetContactInformationAsync(GetContactInformationRequest request, CancellationToken cancellationToken = default);
}
