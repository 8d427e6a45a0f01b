using OpenKbs.Aws.AccountManagement.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.AccountManagement;

/// <summary>The hand-written Account Management client (restJson1: every operation is POST /{operation} with a JSON body).</summary>
internal sealed class AccountClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), IAccountClient
{
    private static readonly AwsService Service = AwsServices.Account;

    internal static readonly AwsOperation GetPrimaryEmail = AwsOperation.Read(Service, nameof(GetPrimaryEmail));
    internal static readonly AwsOperation StartPrimaryEmailUpdate = AwsOperation.Write(Service, nameof(StartPrimaryEmailUpdate), family: nameof(StartPrimaryEmailUpdate));
    internal static readonly AwsOperation AcceptPrimaryEmailUpdate = AwsOperation.Write(Service, nameof(AcceptPrimaryEmailUpdate), family: nameof(AcceptPrimaryEmailUpdate));
    internal static readonly AwsOperation GetContactInformation = AwsOperation.Read(Service, nameof(GetContactInformation));

    public Task<GetPrimaryEmailResponse> GetPrimaryEmailAsync(GetPrimaryEmailRequest request, CancellationToken cancellationToken = default) =>
        RestJsonAsync<GetPrimaryEmailResponse>(GetPrimaryEmail, HttpMethod.Post, "/getPrimaryEmail", request, null, cancellationToken, guardedArns: [request?.AccountId]);

    public Task<StartPrimaryEmailUpdateResponse> StartPrimaryEmailUpdateAsync(StartPrimaryEmailUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<StartPrimaryEmailUpdateResponse>(
            StartPrimaryEmailUpdate,
            HttpMethod.Post,
            "/startPrimaryEmailUpdate",
            request,
            Audit(request.AccountId, d => d.Add("PrimaryEmail", request.PrimaryEmail)),
            cancellationToken,
            guardedArns: [request.AccountId]);
    }

    public Task<AcceptPrimaryEmailUpdateResponse> AcceptPrimaryEmailUpdateAsync(AcceptPrimaryEmailUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The one-time code is a secret: it is sent, never recorded.
        return RestJsonAsync<AcceptPrimaryEmailUpdateResponse>(
            AcceptPrimaryEmailUpdate,
            HttpMethod.Post,
            "/acceptPrimaryEmailUpdate",
            request,
            Audit(request.AccountId, d => d.Add("PrimaryEmail", request.PrimaryEmail)),
            cancellationToken,
            guardedArns: [request.AccountId]);
    }

    public Task<GetContactInformationResponse> GetContactInformationAsync(GetContactInformationRequest request, CancellationToken cancellationToken = default) =>
        RestJsonAsync<GetContactInformationResponse>(GetContactInformation, HttpMethod.Post, "/getContactInformation", request, null, cancellationToken);
}
