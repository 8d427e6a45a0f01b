using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Crypto;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Audit;
using OpenKbs.Controllers.Projects.Components.ExecutionRole;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;
using LambdaEnvironment = OpenKbs.Aws.Lambda.Model.Environment;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// FunctionsReady: one Lambda function per spec function (<see cref="ProjectNames.Function"/>), code from the verified
/// artifact copy, configuration and tags from the spec, sealed settings as KMS envelopes. Lambda's update states are respected:
/// while a function is Pending or its LastUpdateStatus is InProgress, or an update answers 409/412, the step waits
/// (<see cref="ProjectWaits.WaitForLambda"/>) and never sends another change; code is updated only when CodeSha256 differs,
/// configuration only when it differs (code first, configuration on a later pass, as AWS recommends). Functions of the project
/// that left the spec are deleted (their code stays in the bucket). A drift check costs ListFunctions + one GetFunction each.
/// </summary>
internal sealed partial class FunctionsStep(ILogger<FunctionsStep> logger, AuditGate? audit = null) : IProjectStep
{
    /// <summary>Plain variable: <c>namespace/Project/name</c> (with the uid, the encryption context of the sealed settings).</summary>
    public const string ProjectVariable = "OPENKBS_PROJECT";

    /// <summary>Plain variable: the Project's uid.</summary>
    public const string UidVariable = "OPENKBS_PROJECT_UID";

    /// <summary>The suffix of a sealed setting's digest variable.</summary>
    public const string DigestSuffix = "_DIGEST";

    public string Name => "functions";

    public string? ConditionType => ConditionTypes.FunctionsReady;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var functions = context.Spec.Functions ?? [];
        var status = context.Status;
        var lambda = context.Aws.Lambda;
        var existing = (await lambda.ListFunctionsAsync(new ListFunctionsRequest(), cancellationToken)).Functions
            .Where(f => f.FunctionName?.StartsWith(context.Names.FunctionPrefix, StringComparison.Ordinal) == true)
            .ToList();

        var wanted = functions.Select(f => context.Names.Function(f.Name)).ToHashSet(StringComparer.Ordinal);
        var outcomes = new List<StepOutcome>();
        foreach (var leftover in existing.Where(f => !wanted.Contains(f.FunctionName!)))
        {
            outcomes.Add(await DeleteLeftoverAsync(context, leftover.FunctionName!, cancellationToken));
        }

        if (functions.Count == 0)
        {
            status.Functions = null;
            status.FunctionsReady = "0/0";
            var none = new FunctionFacts(new Dictionary<string, string>(), outcomes.All(o => o.IsReady));
            return (outcomes.FirstOrDefault(o => !o.IsReady) ?? StepOutcome.Disabled("no functions in the spec")).With(none);
        }

        var artifact = context.Facts.Find<ArtifactLocation>();
        var role = context.Facts.Find<ExecutionRoleFacts>();
        if (artifact is null || role is null)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency,
                artifact is null ? "waiting for the verified artifact" : "waiting for the execution role", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        if (audit?.Check(context.Project, artifact.Sha256) is { } held)
        {
            return held;
        }

        var seals = new SealCache(context, context.Facts.Require<StorageFacts>().KeyArn, SealedSettings(context.Facts));
        var arns = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var observed = new List<FunctionStatus>();
        var ready = 0;
        foreach (var function in functions)
        {
            var desired = Render(context, function, seals.Digests, role.RoleArn, artifact);
            var (outcome, state) = await ConvergeAsync(logger, context, desired, seals, cancellationToken);
            observed.Add(state);
            outcomes.Add(outcome);
            if (outcome.IsReady)
            {
                ready++;
            }

            if (state.Arn is not null)
            {
                arns[function.Name] = state.Arn;
            }
        }

        status.Functions = observed;
        status.FunctionsReady = $"{ready}/{functions.Count}";
        var facts = new FunctionFacts(arns, outcomes.All(o => o.IsReady));
        if (outcomes.FirstOrDefault(o => o.Kind == StepOutcomeKind.Terminal) is { } terminal)
        {
            return terminal.With(facts);
        }

        if (outcomes.Where(o => !o.IsReady).OrderBy(o => o.Wait ?? TimeSpan.MaxValue).FirstOrDefault() is { } waiting)
        {
            return (waiting with { Message = $"{ready}/{functions.Count} ready; {waiting.Message}" }).With(facts);
        }

        return StepOutcome.Ready($"{functions.Count} function(s) run artifact sha256 {artifact.Sha256[..12]}… with the spec's configuration").With(facts);
    }

    /// <summary>Every sealed setting earlier steps contributed this pass (database, API keys), by variable name.</summary>
    internal static IReadOnlyDictionary<string, byte[]> SealedSettings(Facts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var settings = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, payload) in facts.All<IFunctionSettingsContribution>().SelectMany(c => c.SealedSettings))
        {
            if (!settings.TryAdd(name, payload))
            {
                throw new InvalidOperationException($"two components contribute the function setting {name}");
            }
        }

        return settings;
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lambda = context.Aws.Lambda;
        var ours = (await lambda.ListFunctionsAsync(new ListFunctionsRequest(), cancellationToken)).Functions
            .Where(f => f.FunctionName?.StartsWith(context.Names.FunctionPrefix, StringComparison.Ordinal) == true)
            .ToList();
        foreach (var function in ours)
        {
            var got = await lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = function.FunctionName! }, cancellationToken);
            if (got.Tags is { } tags && tags.TryGetValue(Labels.Uid, out var uid) && uid != context.Project.Metadata.Uid)
            {
                continue;
            }

            try
            {
                if (policy == ProjectDeletionPolicy.Delete)
                {
                    await lambda.DeleteFunctionAsync(new DeleteFunctionRequest { FunctionName = function.FunctionName! }, cancellationToken);
                }
                else if (got.Tags?.ContainsKey(Labels.Released) != true)
                {
                    await lambda.TagResourceAsync(new TagResourceRequest
                    {
                        Resource = got.Configuration!.FunctionArn!,
                        Tags = new Dictionary<string, string> { [Labels.Released] = ExecutionRoleStep.Released(context) },
                    }, cancellationToken);
                }
            }
            catch (AwsServiceException ex) when (ex.IsConflict)
            {
                return Busy(context, function.FunctionName!, ex);
            }
        }

        return StepOutcome.Ready(policy == ProjectDeletionPolicy.Delete
            ? $"{ours.Count} function(s) deleted; their code stays in the bucket"
            : $"{ours.Count} function(s) kept (tagged {Labels.Released})");
    }

    /// <summary>The desired function (pure apart from the digests of this pass's sealed settings).</summary>
    internal static FunctionDesired Render(ProjectContext context, FunctionSpec function, IReadOnlyDictionary<string, string> digests, string roleArn, ArtifactLocation artifact)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in function.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        environment[ProjectVariable] = $"{context.Project.Metadata.NamespaceProperty}/{Project.KubeKind}/{context.Project.Metadata.Name}";
        environment[UidVariable] = context.Project.Metadata.Uid!;
        foreach (var (name, digest) in digests)
        {
            environment[name + DigestSuffix] = digest;
        }

        return new FunctionDesired
        {
            SpecName = function.Name,
            FunctionName = context.Names.Function(function.Name),
            Runtime = function.Runtime,
            Handler = function.Handler,
            MemorySize = function.MemoryMb ?? 128,
            Timeout = function.TimeoutSeconds ?? 3,
            Role = roleArn,
            Environment = environment,
            SealedVariables = [.. digests.Keys],
            Tags = context.Tags,
            Code = artifact,
        };
    }

    /// <summary>The digest that stands for a sealed setting's payload in the functions' environment (reveals nothing of it).</summary>
    internal static string Digest(string uid, string name, byte[] payload)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"openkbs-sealed-setting\n{uid}\n{name}\n"));
        hash.AppendData(payload);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Converges one function to <paramref name="desired"/> (also the access component's function: docs/access.md).</summary>
    internal static async Task<(StepOutcome Outcome, FunctionStatus State)> ConvergeAsync(ILogger logger, ProjectContext context, FunctionDesired desired, SealCache seals, CancellationToken cancellationToken)
    {
        var lambda = context.Aws.Lambda;
        var state = new FunctionStatus { Name = desired.SpecName };
        GetFunctionResponse current;
        try
        {
            current = await lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = desired.FunctionName }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return (await CreateAsync(context, desired, seals, state, cancellationToken), state);
        }

        var configuration = current.Configuration!;
        state.Arn = configuration.FunctionArn;
        state.State = configuration.State;
        state.LastUpdateStatus = configuration.LastUpdateStatus;
        state.CodeSha256 = configuration.CodeSha256;
        state.Version = configuration.Version;
        if (current.Tags is { } tags && tags.TryGetValue(Labels.Uid, out var uid) && uid != context.Project.Metadata.Uid)
        {
            return (StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"function {desired.FunctionName} belongs to {tags.GetValueOrDefault(Labels.Owner) ?? uid}, not to this Project; nothing was changed"), state);
        }

        if (configuration.State == "Pending" || configuration.LastUpdateStatus == "InProgress")
        {
            return (Wait(context, $"function {desired.SpecName} is {(configuration.State == "Pending" ? "Pending" : "updating")}"), state);
        }

        var delta = FunctionDelta.Compute(configuration, current.Tags, desired);
        if (delta.Count == 0)
        {
            if (configuration.State == "Failed")
            {
                return (StepOutcome.Terminal(ConditionReasons.TerminalAwsError,
                    $"function {desired.SpecName} is Failed ({configuration.StateReasonCode}: {configuration.StateReason}); fix the cause, then change the spec or request a reconcile"), state);
            }

            return configuration.LastUpdateStatus == "Failed"
                ? (StepOutcome.Terminal(ConditionReasons.TerminalAwsError,
                    $"the last update of function {desired.SpecName} failed ({configuration.LastUpdateStatusReasonCode}: {configuration.LastUpdateStatusReason})"), state)
                : (StepOutcome.Ready($"function {desired.SpecName} is as specified"), state);
        }

        LogDelta(logger, context.Key.ToString(), desired.FunctionName, string.Join(", ", delta));
        try
        {
            if (delta.Contains(FunctionDelta.Tags))
            {
                await TagAsync(context, configuration.FunctionArn!, current.Tags, desired.Tags, cancellationToken);
                if (delta.Count == 1)
                {
                    return (StepOutcome.Ready($"function {desired.SpecName} is as specified (tags put back)"), state);
                }
            }

            if (delta.Contains(FunctionDelta.Code))
            {
                var code = await lambda.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest
                {
                    FunctionName = desired.FunctionName,
                    S3Bucket = desired.Code.Bucket,
                    S3Key = desired.Code.Key,
                    S3ObjectVersion = desired.Code.VersionId,
                    RevisionId = configuration.RevisionId,
                }, cancellationToken);
                state.CodeSha256 = code.CodeSha256;
                state.LastUpdateStatus = code.LastUpdateStatus;
                context.Event(EventType.Normal, ConditionReasons.Updating, $"function {desired.SpecName}: code updated to artifact sha256 {desired.Code.Sha256[..12]}…");
                return (Wait(context, $"function {desired.SpecName}: code updated; the configuration follows once Lambda is done"), state);
            }

            var environment = await EnvironmentAsync(desired, configuration.Environment?.Variables, seals, cancellationToken);
            if (Size(environment) > ProjectSpecRules.LambdaEnvironmentLimit)
            {
                return (StepOutcome.Terminal(ConditionReasons.TerminalInvalidSpec,
                    $"function {desired.SpecName}: the environment would be {Size(environment)} bytes, over Lambda's {ProjectSpecRules.LambdaEnvironmentLimit}; use fewer or shorter variables, API keys or permissions"), state);
            }

            var updated = await lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest
            {
                FunctionName = desired.FunctionName,
                Runtime = desired.Runtime,
                Handler = desired.Handler,
                MemorySize = desired.MemorySize,
                Timeout = desired.Timeout,
                Role = desired.Role,
                Description = desired.Description,
                Environment = new LambdaEnvironment { Variables = environment },
                RevisionId = configuration.RevisionId,
            }, cancellationToken);
            state.LastUpdateStatus = updated.LastUpdateStatus;
            context.Event(EventType.Normal, ConditionReasons.Updating, $"function {desired.SpecName}: {string.Join(", ", delta.Where(p => p != FunctionDelta.Tags))} updated");
            return (Wait(context, $"function {desired.SpecName}: configuration updated ({string.Join(", ", delta.Where(p => p != FunctionDelta.Tags))})"), state);
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            return (Busy(context, desired.SpecName, ex), state);
        }
        catch (AwsServiceException ex) when (IsRolePropagation(ex))
        {
            return (RoleNotReady(context, desired.SpecName), state);
        }
    }

    private static async Task<StepOutcome> CreateAsync(ProjectContext context, FunctionDesired desired, SealCache seals, FunctionStatus state, CancellationToken cancellationToken)
    {
        var environment = await EnvironmentAsync(desired, null, seals, cancellationToken);
        if (Size(environment) > ProjectSpecRules.LambdaEnvironmentLimit)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalInvalidSpec,
                $"function {desired.SpecName}: the environment would be {Size(environment)} bytes, over Lambda's {ProjectSpecRules.LambdaEnvironmentLimit}; use fewer or shorter variables, API keys or permissions");
        }

        try
        {
            var created = await context.Aws.Lambda.CreateFunctionAsync(new CreateFunctionRequest
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
                Tags = desired.Tags,
                Publish = false,
                PackageType = "Zip",
            }, cancellationToken);
            state.Arn = created.FunctionArn;
            state.State = created.State;
            state.LastUpdateStatus = created.LastUpdateStatus;
            state.CodeSha256 = created.CodeSha256;
            state.Version = created.Version;
            context.Event(EventType.Normal, ConditionReasons.Creating, $"function {desired.SpecName} created ({desired.Runtime}, artifact sha256 {desired.Code.Sha256[..12]}…)");
            return Wait(context, $"function {desired.SpecName} created; waiting for it to become Active");
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            // It exists already (an earlier pass's answer was lost) or Lambda is busy: look again.
            return Busy(context, desired.SpecName, ex);
        }
        catch (AwsServiceException ex) when (IsRolePropagation(ex))
        {
            return RoleNotReady(context, desired.SpecName);
        }
    }

    private static async Task<StepOutcome> DeleteLeftoverAsync(ProjectContext context, string functionName, CancellationToken cancellationToken)
    {
        var lambda = context.Aws.Lambda;
        var got = await lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = functionName }, cancellationToken);
        if (got.Tags is { } tags && tags.TryGetValue(Labels.Uid, out var uid) && uid != context.Project.Metadata.Uid)
        {
            return StepOutcome.Ready($"function {functionName} belongs to another owner and was left alone");
        }

        try
        {
            await lambda.DeleteFunctionAsync(new DeleteFunctionRequest { FunctionName = functionName }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            return Busy(context, functionName, ex);
        }

        context.Event(EventType.Normal, "FunctionDeleted", $"function {functionName} left the spec and was deleted; its code stays in the bucket");
        return StepOutcome.Ready($"function {functionName} deleted");
    }

    private static async Task TagAsync(ProjectContext context, string arn, IReadOnlyDictionary<string, string>? current, IReadOnlyDictionary<string, string> desired, CancellationToken cancellationToken)
    {
        var missing = desired.Where(t => current?.TryGetValue(t.Key, out var v) != true || v != t.Value).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        if (missing.Count > 0)
        {
            await context.Aws.Lambda.TagResourceAsync(new TagResourceRequest { Resource = arn, Tags = missing }, cancellationToken);
        }

        if (current?.ContainsKey(Labels.Released) == true)
        {
            await context.Aws.Lambda.UntagResourceAsync(new UntagResourceRequest { Resource = arn, TagKeys = [Labels.Released] }, cancellationToken);
        }
    }

    /// <summary>The full environment: plain variables plus each sealed variable, reusing the current envelope when its digest is unchanged.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(
        FunctionDesired desired,
        IReadOnlyDictionary<string, string>? current,
        SealCache seals,
        CancellationToken cancellationToken)
    {
        var environment = new SortedDictionary<string, string>(desired.Environment.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var name in desired.SealedVariables)
        {
            var unchanged = current is not null
                && current.TryGetValue(name + DigestSuffix, out var digest) && digest == desired.Environment[name + DigestSuffix]
                && current.TryGetValue(name, out var envelope) && !string.IsNullOrEmpty(envelope);
            environment[name] = unchanged ? current![name] : await seals.SealAsync(name, cancellationToken);
        }

        return environment;
    }

    private static int Size(IReadOnlyDictionary<string, string> environment) =>
        environment.Sum(e => Encoding.UTF8.GetByteCount(e.Key) + Encoding.UTF8.GetByteCount(e.Value));

    private static StepOutcome Wait(ProjectContext context, string message) =>
        StepOutcome.Progressing(ConditionReasons.WaitingForAws, message, context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));

    private static StepOutcome Busy(ProjectContext context, string function, AwsServiceException ex) =>
        StepOutcome.Progressing(ConditionReasons.WaitingForAws,
            $"function {function}: Lambda answered {ex.ErrorCode} (an update is in progress); trying again after {context.Options.WaitForLambda.TotalSeconds:0.#} s",
            context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));

    private static StepOutcome RoleNotReady(ProjectContext context, string function) =>
        StepOutcome.Progressing(ConditionReasons.WaitingForAws,
            $"function {function}: Lambda cannot assume the new execution role yet (IAM is eventually consistent)",
            context.Options.WaitForIamPropagation, nameof(ProjectWaits.WaitForIamPropagation));

    private static bool IsRolePropagation(AwsServiceException ex) =>
        ex.ErrorCode == AwsErrorCode.InvalidParameterValueException && ex.AwsMessage?.Contains("cannot be assumed", StringComparison.OrdinalIgnoreCase) == true;

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: function {Function} differs in {Delta}")]
    private static partial void LogDelta(ILogger logger, string key, string function, string delta);

    /// <summary>The sealed settings of one pass: digests up front, each envelope sealed at most once (only when a function needs it).</summary>
    internal sealed class SealCache(ProjectContext context, string keyArn, IReadOnlyDictionary<string, byte[]> settings)
    {
        private readonly Dictionary<string, string> _sealed = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, string> Digests { get; } = settings
            .ToDictionary(s => s.Key, s => Digest(context.Project.Metadata.Uid!, s.Key, s.Value), StringComparer.Ordinal);

        public async Task<string> SealAsync(string name, CancellationToken cancellationToken)
        {
            if (!_sealed.TryGetValue(name, out var envelope))
            {
                envelope = await EnvelopeCipher.SealAsync(
                    context.Aws.Kms,
                    keyArn,
                    settings[name],
                    context.Names.EnvelopeContext(name),
                    cancellationToken);
                _sealed[name] = envelope;
            }

            return envelope;
        }
    }
}
