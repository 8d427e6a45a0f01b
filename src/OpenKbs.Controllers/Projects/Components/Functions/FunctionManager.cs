using OpenKbs.Api;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Lambda;
using OpenKbs.Aws.Lambda.Model;
using LambdaEnvironment = OpenKbs.Aws.Lambda.Model.Environment;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// The functions component's AWS side (ACK's "sdk" layer): lists and observes functions and applies a <see cref="FunctionDelta"/>
/// through the Lambda client, nothing else. It takes no decisions: ownership, Lambda's update states, the order of changes,
/// events and status belong to the step (<see cref="FunctionsStep"/>, one function: <see cref="FunctionConvergence"/>).
/// Reads map "not found" to null; every other AWS error (a 409 conflict included) propagates to the caller.
/// </summary>
internal sealed class FunctionManager(ILambdaClient lambda)
{
    /// <summary>The names of the account's functions that start with <paramref name="prefix"/> (one paginated ListFunctions).</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) =>
        [.. (await lambda.ListFunctionsAsync(new ListFunctionsRequest(), cancellationToken)).Functions
            .Select(f => f.FunctionName)
            .OfType<string>()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>Configuration and tags (one GetFunction), or null when there is no such function.</summary>
    public async Task<FunctionObservation?> ObserveAsync(string functionName, CancellationToken cancellationToken)
    {
        try
        {
            var got = await lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = functionName }, cancellationToken);
            return new FunctionObservation(got.Configuration!, got.Tags ?? new Dictionary<string, string>());
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the function from <paramref name="desired"/> with the full <paramref name="environment"/> (sealed envelopes included).</summary>
    public async Task<FunctionConfiguration> CreateAsync(FunctionDesired desired, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var created = await lambda.CreateFunctionAsync(new CreateFunctionRequest
        {
            FunctionName = desired.FunctionName,
            Role = desired.Role,
            Runtime = desired.Runtime,
            Handler = desired.Handler,
            MemorySize = desired.MemorySize,
            Timeout = desired.Timeout,
            Description = desired.Description,
            Code = new FunctionCode { S3Bucket = desired.Code.Bucket, S3Key = desired.Code.Key, S3ObjectVersion = desired.Code.VersionId },
            Environment = new LambdaEnvironment { Variables = environment },
            Layers = desired.Layers.Count == 0 ? null : desired.Layers,
            Tags = desired.Tags,
            Publish = false,
            PackageType = "Zip",
        }, cancellationToken);
        return new FunctionConfiguration
        {
            FunctionArn = created.FunctionArn,
            State = created.State,
            LastUpdateStatus = created.LastUpdateStatus,
            CodeSha256 = created.CodeSha256,
            Version = created.Version,
        };
    }

    /// <summary>Points the function at the desired artifact copy (guarded by the observed revision).</summary>
    public async Task<UpdateFunctionCodeResponse> UpdateCodeAsync(FunctionDesired desired, string? revisionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return await lambda.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest
        {
            FunctionName = desired.FunctionName,
            S3Bucket = desired.Code.Bucket,
            S3Key = desired.Code.Key,
            S3ObjectVersion = desired.Code.VersionId,
            RevisionId = revisionId,
        }, cancellationToken);
    }

    /// <summary>Writes every configuration path at once (one call; layers as an explicit list, so an empty one removes them).</summary>
    public async Task<UpdateFunctionConfigurationResponse> UpdateConfigurationAsync(
        FunctionDesired desired, IReadOnlyDictionary<string, string> environment, string? revisionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return await lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest
        {
            FunctionName = desired.FunctionName,
            Runtime = desired.Runtime,
            Handler = desired.Handler,
            MemorySize = desired.MemorySize,
            Timeout = desired.Timeout,
            Role = desired.Role,
            Description = desired.Description,
            Environment = new LambdaEnvironment { Variables = environment },
            Layers = desired.Layers,
            RevisionId = revisionId,
        }, cancellationToken);
    }

    /// <summary>Writes the tag paths of <paramref name="delta"/>: the missing owner tags, then the released tag removed.</summary>
    public async Task ApplyTagsAsync(string arn, FunctionDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.MissingTags.Count > 0)
        {
            await lambda.TagResourceAsync(new TagResourceRequest { Resource = arn, Tags = delta.MissingTags }, cancellationToken);
        }

        if (delta.ClearReleased)
        {
            await lambda.UntagResourceAsync(new UntagResourceRequest { Resource = arn, TagKeys = [Labels.Released] }, cancellationToken);
        }
    }

    /// <summary>Tags the function released at <paramref name="released"/> (kept on deletion with policy Retain).</summary>
    public Task TagReleasedAsync(string arn, string released, CancellationToken cancellationToken) =>
        lambda.TagResourceAsync(new TagResourceRequest { Resource = arn, Tags = new Dictionary<string, string> { [Labels.Released] = released } }, cancellationToken);

    public Task DeleteAsync(string functionName, CancellationToken cancellationToken) =>
        lambda.DeleteFunctionAsync(new DeleteFunctionRequest { FunctionName = functionName }, cancellationToken);
}
