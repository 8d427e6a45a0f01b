using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.AccountManagement.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers.Steps;

/// <summary>
/// The root email: StartPrimaryEmailUpdate (AWS mails a code to newRootEmail), then AcceptPrimaryEmailUpdate with the code the
/// client puts in the Secret the spec names. The Secret is read once per change (its uid/resourceVersion is recorded before
/// the code is sent, so a code is never sent twice) and the code is held only in memory for that one call: it never lands in
/// status, events, logs or the audit trail. A wrong code is a wait for a new one; an expired code (AWS says so, there is no
/// pending update any more, or it is older than <see cref="AccountTransferOptions.CodeValidity"/>) sends a new code. Once a code
/// went to AWS, GetPrimaryEmail is asked before the Secret is judged: if the process died during AcceptPrimaryEmailUpdate, AWS may
/// have taken the code, and the transfer goes on instead of waiting for a code that can no longer be accepted. An address
/// another AWS account uses is terminal until spec.newRootEmail changes. After the removal nothing changes here.
/// </summary>
internal sealed partial class RootEmailStep(AccountTransferOptions options) : IRecipeStep<TransferPass>
{
    /// <summary>How the step's message begins once AWS answered a code: refused, or expired (a new one sent); a later pass reads it back.</summary>
    private const string RefusedCode = "AWS refused the code in Secret";

    private const string ExpiredCode = "the code in Secret";

    public string Name => "root-email";

    public string? ConditionType => ConditionTypes.RootEmailUpdated;

    public async Task<StepOutcome> RunAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        var email = pass.Spec.NewRootEmail;
        if (status.RemovedAt is not null || (TransferPlan.IsDone(status, TransferStepName.VerifyEmail) && SameAddress(status.CodeSentTo, email)))
        {
            return StepOutcome.Ready($"the root email of account {status.AccountId} is {status.CodeSentTo ?? email}");
        }

        if (!SameAddress(status.CodeSentTo, email))
        {
            if (SameAddress(await PrimaryEmailAsync(pass, cancellationToken), email))
            {
                // Accepted before (e.g. the process died between AWS's answer and the status write).
                status.CodeSentTo = email;
                pass.Step(TransferStepName.StartEmailUpdate, TransferStepState.Succeeded, $"the root email of account {pass.AccountId} is already {email}");
                pass.Step(TransferStepName.VerifyEmail, TransferStepState.Succeeded, $"the root email of account {pass.AccountId} is {email}");
                return StepOutcome.Ready($"the root email is {email}");
            }

            pass.Step(TransferStepName.VerifyEmail, TransferStepState.Pending, "waiting for the code of the latest email");
            if (await SendAsync(pass, cancellationToken) is { } refused)
            {
                return refused;
            }
        }

        return await VerifyAsync(pass, cancellationToken);
    }

    private static async Task<StepOutcome?> SendAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        var email = pass.Spec.NewRootEmail;
        try
        {
            await pass.Management.Account.StartPrimaryEmailUpdateAsync(new StartPrimaryEmailUpdateRequest { AccountId = pass.AccountId, PrimaryEmail = email }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.ConflictException or AwsErrorCode.ValidationException)
        {
            return Refused(pass, TransferStepName.StartEmailUpdate, ex);
        }

        pass.Status.CodeSentTo = email;
        pass.Status.CodeSentAt = pass.Now.UtcDateTime;
        pass.Step(TransferStepName.StartEmailUpdate, TransferStepState.Succeeded, $"AWS sent a verification code to {email} at {pass.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        await pass.SaveStatusAsync(cancellationToken);
        return null;
    }

    private async Task<StepOutcome> VerifyAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        var email = pass.Spec.NewRootEmail;
        var reference = pass.Spec.Confirmations?.VerificationCodeSecretRef;
        if (reference is null)
        {
            return Wait(pass, ClientActions.PutCode(pass.Namespace, pass.Name, email, null, null));
        }

        var secret = await pass.Caches.Secrets.GetAsync(pass.Namespace, reference.Name, cancellationToken);
        var put = ClientActions.PutCode(pass.Namespace, pass.Name, email, reference.Name, reference.Key);
        if (secret is null)
        {
            return Wait(pass, $"Secret {pass.Namespace}/{reference.Name} does not exist. {put}");
        }

        if (Foreign(secret, pass) is { } foreign)
        {
            return Wait(pass, $"Secret {pass.Namespace}/{reference.Name} {foreign}; the code must be in an Opaque Secret of the client's own. {put}");
        }

        var bytes = secret.Data?.TryGetValue(reference.Key, out var data) == true ? data
            : secret.StringData?.TryGetValue(reference.Key, out var text) == true ? Encoding.UTF8.GetBytes(text) : null;
        if (bytes is null)
        {
            return Wait(pass, $"Secret {pass.Namespace}/{reference.Name} has no key {reference.Key}. {put}");
        }

        var version = $"{secret.Metadata.Uid}/{secret.Metadata.ResourceVersion}";
        if (pass.Status.CodeSecretVersion is not null && SameAddress(await PrimaryEmailAsync(pass, cancellationToken), email))
        {
            // A code went to AWS before and its answer was lost (the process died during the call): AWS took it.
            return Accepted(pass, email);
        }

        if (version == pass.Status.CodeSecretVersion)
        {
            // This very code was sent before and refused: never again. The step's message says why, unless the pass that
            // sent it stopped before its status was written (a crash after the answer): then say it from what is known.
            var message = TransferPlan.Get(pass.Status, TransferStepName.VerifyEmail).Message;
            return message is not null && (message.StartsWith(RefusedCode, StringComparison.Ordinal) || message.StartsWith(ExpiredCode, StringComparison.Ordinal))
                ? Halt(pass)
                : Wait(pass, $"{RefusedCode} {pass.Namespace}/{reference.Name} (key {reference.Key}) when it was sent: it is not the code of the latest email to {email}, or it expired. {put}");
        }

        var code = Encoding.UTF8.GetString(bytes).Trim();
        if (!CodePattern().IsMatch(code))
        {
            return Wait(pass, $"the value of Secret {pass.Namespace}/{reference.Name} key {reference.Key} is not a verification code (6 letters or digits). {put}");
        }

        pass.Status.CodeSecretVersion = version;
        await pass.SaveStatusAsync(cancellationToken);
        try
        {
            await pass.Management.Account.AcceptPrimaryEmailUpdateAsync(new AcceptPrimaryEmailUpdateRequest { AccountId = pass.AccountId, PrimaryEmail = email, Otp = code }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.ValidationException or AwsErrorCode.ResourceNotFoundException)
        {
            var sentAt = pass.Status.CodeSentAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : pass.Now;
            var expired = ex.ErrorCode == AwsErrorCode.ResourceNotFoundException
                || ex.AwsMessage?.Contains("expired", StringComparison.OrdinalIgnoreCase) == true
                || pass.Now - sentAt >= options.CodeValidity;
            if (!expired)
            {
                return Wait(pass, $"{RefusedCode} {pass.Namespace}/{reference.Name} (key {reference.Key}): it is not the code of the latest email to {email}. {put}");
            }

            if (await SendAsync(pass, cancellationToken) is { } refused)
            {
                return refused;
            }

            return Wait(pass, $"{ExpiredCode} {pass.Namespace}/{reference.Name} had expired; AWS sent a new code to {email} at {pass.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. {put}");
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.ConflictException)
        {
            return Refused(pass, TransferStepName.VerifyEmail, ex);
        }

        return Accepted(pass, email);
    }

    private static StepOutcome Accepted(TransferPass pass, string email)
    {
        pass.Step(TransferStepName.VerifyEmail, TransferStepState.Succeeded, $"the root email of account {pass.AccountId} is now {email}");
        return StepOutcome.Ready($"the root email is {email}");
    }

    private static async Task<string?> PrimaryEmailAsync(TransferPass pass, CancellationToken cancellationToken) =>
        (await pass.Management.Account.GetPrimaryEmailAsync(new GetPrimaryEmailRequest { AccountId = pass.AccountId }, cancellationToken)).PrimaryEmail;

    /// <summary>Why a Secret is not one the client made for the code, or null.</summary>
    private static string? Foreign(V1Secret secret, TransferPass pass)
    {
        if (secret.Type is { Length: > 0 } type && type != "Opaque")
        {
            return $"is of type {type}";
        }

        var owner = secret.Metadata.OwnerReferences?.FirstOrDefault(o => o.Uid != pass.Resource.Metadata.Uid);
        return owner is null ? null : $"belongs to {owner.Kind} {owner.Name} (ownerReferences)";
    }

    private StepOutcome Wait(TransferPass pass, string message)
    {
        pass.Step(TransferStepName.VerifyEmail, TransferStepState.Waiting, message);
        return Halt(pass);
    }

    private StepOutcome Halt(TransferPass pass) =>
        StepOutcome.Progressing(ConditionReasons.WaitingForClient, TransferPlan.Get(pass.Status, TransferStepName.VerifyEmail).Message ?? "waiting for the code", options.WaitForClient, "WaitForCode")
            with { StopsPass = true };

    private static StepOutcome Refused(TransferPass pass, TransferStepName step, AwsServiceException ex)
    {
        var (reason, message) = ex.ErrorCode == AwsErrorCode.ConflictException
            ? (ConditionReasons.TerminalEmailAlreadyExists,
                $"AWS refused {pass.Spec.NewRootEmail}: it is already the email of another AWS account ({ex.ErrorCode}). Set an address the client owns and no AWS account uses: "
                + $"kubectl -n {pass.Namespace} patch accounttransfer {pass.Name} --type merge -p '{{\"spec\":{{\"newRootEmail\":\"<ADDRESS>\"}}}}'")
            : (ConditionReasons.TerminalInvalidEmail, $"AWS refused {pass.Spec.NewRootEmail} as a root email ({ex.ErrorCode}: {ex.AwsMessage}); set another spec.newRootEmail");
        pass.Step(step, TransferStepState.Failed, message);
        return StepOutcome.Terminal(reason, message);
    }

    private static bool SameAddress(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Za-z0-9]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
