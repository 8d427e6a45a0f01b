using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Projects.Components.Roles;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>
/// Client access (docs/access.md), no condition of its own: when <see cref="AccessRendering.Enabled"/>, the project's RSA_2048
/// SIGN_VERIFY KMS key (alias <see cref="AccessNames.SigningKeyAlias"/>, rotation by <see cref="SigningKeys"/>), the access
/// function's own role (<see cref="AccessRendering.RolePolicy"/>), the function itself (the operator's embedded JavaScript,
/// <see cref="AccessBundle"/>, copied content-addressed into the project bucket and converged by <see cref="FunctionConvergence"/>
/// like a client function, with only the sealed API-key hashes), its Function URL (AuthType AWS_IAM: reachable only signed, i.e.
/// through the CDN's origin access control), with a distribution in status the resource-policy statement that lets exactly that
/// distribution call the URL, and the <c>@openkbs/auth</c> layer (published only when its content SHA-256 changed). The step
/// decides; <see cref="AccessManager"/> observes and applies; <see cref="AccessDelta.Between"/> names the paths that differ, each
/// put back and reported (a DriftCorrected event and the step's message) once the URL was set up. The Function URL goes to later
/// steps (<see cref="AccessFacts"/>). A drift check costs reads only: DescribeKey, ListResourceTags, GetKeyPolicy, HeadObject,
/// GetFunctionUrlConfig, GetPolicy (with a CDN), ListLayerVersions, the role's four reads, GetFunction; with MQTT the IoT role's
/// reads and no IoT call: the data endpoint, read once with DescribeEndpoint, is kept in <c>status.access.mqttEndpoint</c>.
/// </summary>
internal sealed partial class AccessStep(ILogger<AccessStep> logger) : IProjectStep
{
    public string Name => "access";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var names = context.Names;
        var functionName = AccessNames.Function(names);
        var manager = Manager(context);
        if (!AccessRendering.Enabled(context.Spec))
        {
            if (context.Status.Access is not null)
            {
                if (await manager.DeleteUrlAsync(functionName, cancellationToken))
                {
                    context.Event(EventType.Normal, ConditionReasons.Deleting, $"access turned off: function URL of {functionName} removed (the function and the signing key are kept)");
                }

                await DeleteIotRoleAsync(context, cancellationToken);
                context.Status.Access = null;
            }

            return StepOutcome.Disabled("no client access: spec.access.enabled is false or the project has no API keys");
        }

        var storage = context.Facts.Find<StorageFacts>();
        var keys = context.Facts.Find<ApiKeyFacts>();
        if (storage is null || keys is null || context.Status.Storage?.BucketName is not { } bucket)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, "waiting for the project key, bucket and API keys",
                TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        var access = context.Status.Access ??= new AccessStatus();
        var (signing, previous) = await SigningKeys.EnsureAsync(context, manager, access, cancellationToken);
        var publishPrevious = SigningKeys.PublishPrevious(access, previous, context.Now);
        if (signing.KeyState != "Enabled")
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalAwsError,
                $"the signing key {signing.KeyId} is {signing.KeyState}: no token can be signed; enable it again (KMS) or cancel its deletion");
        }

        // The URL was set up by an earlier pass: what is missing or different now was changed behind the operator's back.
        var settled = access.FunctionUrl is not null;
        var bundle = AccessBundle.Current;
        var desired = AccessRendering.Desired(context, bucket, context.Status.Cdn?.DistributionId, bundle);
        var observed = await manager.ObserveAsync(desired, signing.Arn!, cancellationToken);
        var delta = AccessDelta.Between(desired, observed);
        if (!delta.IsEmpty)
        {
            LogDelta(logger, context.Key.ToString(), functionName, delta.ToString());
        }

        var repaired = new List<string>();
        var code = await manager.ApplyPreparationAsync(desired, signing.Arn!, delta, bundle.FunctionZip, cancellationToken) ?? observed.Code!;
        if (delta.Has(AccessDelta.SigningKeyTags))
        {
            repaired.Add($"owner tags of signing key {signing.KeyId} put back");
        }

        if (delta.Has(AccessDelta.SigningKeyPolicy))
        {
            // The key is created with this policy, so any difference was made behind the operator's back.
            repaired.Add($"key policy of signing key {signing.KeyId} put back (only the account administers and uses it)");
        }

        if (delta.Has(AccessDelta.Code))
        {
            // Content-addressed: a new operator build has a new object, so a missing one is not drift by itself.
            context.Event(EventType.Normal, ConditionReasons.Updating, $"access function code (sha256 {bundle.FunctionSha256[..12]}…) stored as {desired.CodeKey} in bucket {bucket}");
        }

        var mqtt = AccessRendering.MqttEnabled(context.Spec);
        var iotRoleArn = mqtt ? $"arn:aws:iam::{context.AccountId}:role/{AccessNames.IotRole(names)}" : null;
        var roleArn = await EnsureRoleAsync(context, storage.KeyArn, signing.Arn!, previous?.Arn, iotRoleArn, repaired, cancellationToken);
        if (roleArn is null)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"role {AccessNames.Role(names)} belongs to another owner, not to this Project; nothing was changed");
        }

        MqttTarget? mqttTarget = null;
        if (mqtt)
        {
            if (await EnsureIotRoleAsync(context, roleArn, repaired, cancellationToken) is not { } iotRole)
            {
                return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                    $"role {AccessNames.IotRole(names)} belongs to another owner, not to this Project; MQTT was not set up");
            }

            // The data endpoint of an account never changes: read once, then kept in status (no read per drift check).
            access.MqttEndpoint ??= await manager.IotDataEndpointAsync(cancellationToken)
                ?? throw new InvalidOperationException("IoT DescribeEndpoint answered without an endpoint address");
            mqttTarget = new MqttTarget(access.MqttEndpoint, iotRole);
        }
        else if (access.MqttEndpoint is not null)
        {
            await DeleteIotRoleAsync(context, cancellationToken);
            access.MqttEndpoint = null;
        }

        var location = new ArtifactLocation { Bucket = bucket, Key = desired.CodeKey, VersionId = code.VersionId, Sha256 = bundle.FunctionSha256 };
        var settings = keys.SealedSettings.Where(s => s.Key == ApiKeyPayload.Variable).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var seals = new SealCache(context, storage.KeyArn, settings);
        var function = AccessRendering.Function(context, roleArn, new SigningTarget(signing.Arn!, publishPrevious ? previous!.Arn : null), location, seals.Digests, mqttTarget);
        var (outcome, state) = await new FunctionConvergence(new FunctionManager(context.Aws.Lambda), logger).ConvergeAsync(context, function, seals, cancellationToken);
        access.FunctionName = functionName;
        access.TokenUrl = AccessRendering.Url(context, "/auth/token");
        access.JwksUrl = AccessRendering.Url(context, "/auth/jwks.json");
        if (!outcome.IsReady)
        {
            // Lambda refuses URL changes while the function is Pending or updating (409): the URL and the layer follow once it is done.
            Report(context, functionName, repaired);
            return outcome.With(new AccessFacts(access.FunctionUrl, state.Arn, Converged: false, access.LayerVersionArn, access.JwksUrl));
        }

        if (await SigningKeys.AfterFunctionConvergedAsync(context, manager, access, previous, publishPrevious, cancellationToken))
        {
            await EnsureRoleAsync(context, storage.KeyArn, signing.Arn!, null, iotRoleArn, repaired: null, cancellationToken); // the retired key's grant goes
        }

        var (url, layer) = await manager.ApplyEndpointsAsync(desired, delta, bundle.LayerZip, cancellationToken);
        repaired.AddRange(EndpointEvents(context, desired, delta, settled, access.CloudFrontPermissionSourceArn));
        access.CloudFrontPermissionSourceArn = desired.CloudFrontPermission?.SourceArn;
        access.FunctionUrl = url ?? observed.Url?.FunctionUrl;
        access.LayerVersionArn = layer ?? observed.NewestLayer?.LayerVersionArn;
        Report(context, functionName, repaired);
        var mqttNote = mqttTarget is null ? string.Empty : $"; MQTT on {mqttTarget.Endpoint} under {AccessNames.TopicPrefix(names)}";
        var repairedNote = repaired.Count == 0 ? string.Empty : $"; drift repaired: {string.Join("; ", repaired)}";
        return StepOutcome.Ready($"access function {functionName}: tokens signed by KMS key {signing.KeyId}, valid {AccessRendering.TokenLifetime(context.Spec)} s; Function URL with IAM auth; layer {access.LayerVersionArn}{mqttNote}{repairedNote}")
            .With(new AccessFacts(access.FunctionUrl, state.Arn, Converged: true, access.LayerVersionArn, access.JwksUrl));
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var functions = new FunctionManager(context.Aws.Lambda);
        var functionName = AccessNames.Function(context.Names);
        var function = await functions.ObserveAsync(functionName, cancellationToken);
        if (function?.OwnerOtherThan(context.Project.Metadata.Uid) is not null)
        {
            return StepOutcome.Ready($"function {functionName} belongs to another owner and was left alone");
        }

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (function is { IsReleased: false })
            {
                await functions.TagReleasedAsync(function.Arn!, OwnershipTags.ReleasedValue(context.Now), cancellationToken);
            }

            return StepOutcome.Ready($"access function {functionName}, its role and the signing key kept (tagged {Labels.Released} where present)");
        }

        try
        {
            if (function is not null)
            {
                await functions.DeleteAsync(functionName, cancellationToken);
            }
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            return StepOutcome.Progressing(ConditionReasons.Deleting, $"function {functionName} is busy ({ex.ErrorCode})", context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));
        }

        var roles = new RoleManager(context.Aws.Iam);
        var role = AccessNames.Role(context.Names);
        try
        {
            await roles.DeleteAsync(role, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        await DeleteIotRoleAsync(context, cancellationToken);
        context.Status.Access = null;
        return StepOutcome.Ready($"access function {functionName} and its role deleted; the signing key and the layer versions stay (no client data; a key is deleted only by a person, with KMS's waiting period)");
    }

    private static AccessManager Manager(ProjectContext context) => new(context.Aws.Kms, context.Aws.S3, context.Aws.Lambda, context.Aws.IoT);

    /// <summary>One event for what a pass put back after a change behind the operator's back (the step's message names it too).</summary>
    private static void Report(ProjectContext context, string functionName, List<string> repaired)
    {
        if (repaired.Count > 0)
        {
            context.Event(EventType.Warning, ProjectReasons.DriftCorrected, $"access function {functionName}: {string.Join("; ", repaired)}");
        }
    }

    /// <summary>
    /// The events of the endpoint paths written; returns the ones that repaired drift. A URL made for the first time, a layer version
    /// for a new helper and the permission statement for a new distribution are creations; once the URL was set up, a missing URL,
    /// an AuthType other than AWS_IAM, a missing statement for the distribution it was granted to (<paramref name="granted"/>, from
    /// status), a statement under the operator's id with other content, and a newest layer version that is not the operator's helper
    /// at all are drift.
    /// </summary>
    private static List<string> EndpointEvents(ProjectContext context, AccessDesired desired, AccessDelta delta, bool settled, string? granted)
    {
        var drift = new List<string>();
        var fn = desired.FunctionName;
        if (delta.Has(AccessDelta.Url))
        {
            if (settled)
            {
                drift.Add($"function URL was removed: created again with {desired.AuthType} auth");
            }
            else
            {
                context.Event(EventType.Normal, ConditionReasons.Creating, $"function URL of {fn} created (IAM auth)");
            }
        }

        if (delta.Has(AccessDelta.UrlAuthType))
        {
            drift.Add($"function URL auth type {delta.ObservedAuthType} put back to {desired.AuthType}");
        }

        if (delta.Has(AccessDelta.CloudFrontPermission) && desired.CloudFrontPermission is { } permission)
        {
            // A missing statement for a new distribution is a grant; status remembers the distribution it was granted to, so a
            // statement missing for that one, or one under the operator's id with other content, is drift.
            if (delta.ReplacesPermission)
            {
                drift.Add($"resource policy statement {permission.StatementId} put back ({permission.Action} for {permission.SourceArn} only)");
            }
            else if (granted == permission.SourceArn)
            {
                drift.Add($"resource policy statement {permission.StatementId} was removed: granted again ({permission.Action} for {permission.SourceArn} only)");
            }
            else
            {
                context.Event(EventType.Normal, ConditionReasons.Creating, $"function URL of {fn}: {permission.Action} granted to {permission.SourceArn} only (resource policy statement {permission.StatementId})");
            }
        }

        if (delta.Has(AccessDelta.Layer))
        {
            if (delta.ForeignNewestLayer is { } foreign)
            {
                drift.Add($"layer {desired.LayerName}: the newest version {foreign} is not the operator's helper; published again");
            }
            else
            {
                context.Event(EventType.Normal, ConditionReasons.Creating, $"layer {desired.LayerName} published ({desired.LayerDescription})");
            }
        }

        return drift;
    }

    /// <summary>The access role (created when missing; trust and inline policy put back when they differ); null when it is another owner's.</summary>
    private static async Task<string?> EnsureRoleAsync(
        ProjectContext context, string projectKeyArn, string signingKeyArn, string? previousSigningKeyArn, string? iotRoleArn, List<string>? repaired, CancellationToken cancellationToken)
    {
        var desired = new RoleDesired(
            AccessNames.Role(context.Names),
            $"OpenKBS: the access function of Project {context.Key} (sign tokens, open the API-key hashes)",
            AccessRendering.TrustPolicy(),
            AccessNames.RolePolicy,
            AccessRendering.RolePolicy(context.Names, context.AccountId, context.Region, projectKeyArn, signingKeyArn, previousSigningKeyArn, iotRoleArn),
            context.Tags,
            OnlyThisPolicy: true);
        return await ConvergeRoleAsync(context, desired, repaired, cancellationToken);
    }

    /// <summary>The IoT role (trust: the access role only; policy: the project's topic prefix only); null when it is another owner's.</summary>
    private static async Task<string?> EnsureIotRoleAsync(ProjectContext context, string accessRoleArn, List<string> repaired, CancellationToken cancellationToken)
    {
        var desired = new RoleDesired(
            AccessNames.IotRole(context.Names),
            $"OpenKBS: MQTT credentials of Project {context.Key} (assumed by its access function for 900 s; topics {AccessNames.TopicPrefix(context.Names)}* only)",
            AccessRendering.IotTrustPolicy(accessRoleArn),
            AccessNames.IotRolePolicy,
            AccessRendering.IotRolePolicy(context.Names, context.AccountId, context.Region),
            context.Tags,
            OnlyThisPolicy: true);
        return await ConvergeRoleAsync(context, desired, repaired, cancellationToken);
    }

    /// <summary>
    /// A role of the access component created when missing, trust and policy put back when they differ; null when it is another
    /// owner's. Trust, foreign inline and attached policies are always drift (added to <paramref name="repaired"/>); the inline
    /// policy also changes with a rotation or MQTT (an Updating event unless the rest is drift too).
    /// </summary>
    private static async Task<string?> ConvergeRoleAsync(ProjectContext context, RoleDesired desired, List<string>? repaired, CancellationToken cancellationToken)
    {
        var roles = new RoleManager(context.Aws.Iam);
        var role = await roles.GetAsync(desired.Name, cancellationToken);
        var created = role is null;
        if (role is null)
        {
            role = await roles.CreateAsync(desired, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Creating, $"role {desired.Name} created");
        }

        var observed = await roles.ObserveAsync(role, desired, cancellationToken);
        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is not null)
        {
            return null;
        }

        var delta = RoleDelta.Between(desired, observed);
        await roles.ApplyAsync(desired, delta, cancellationToken);
        if (!created && repaired is not null)
        {
            var drift = delta.Changes.Where(c => c != "permissions").ToList();
            if (drift.Count > 0)
            {
                repaired.Add($"role {desired.Name} put back ({string.Join(", ", delta.Changes)})");
            }
            else if (delta.Policy)
            {
                context.Event(EventType.Normal, ConditionReasons.Updating, $"role {desired.Name}: permissions updated");
            }
        }

        return role.Arn!;
    }

    /// <summary>Removes the IoT role when it is there and this Project's (MQTT turned off, access turned off, or deletion).</summary>
    private static async Task DeleteIotRoleAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        var roles = new RoleManager(context.Aws.Iam);
        var name = AccessNames.IotRole(context.Names);
        if (await roles.GetAsync(name, cancellationToken) is not { } role)
        {
            return;
        }

        var uid = (await roles.TagsAsync(role, cancellationToken)).FirstOrDefault(t => t.Key == Labels.Uid)?.Value;
        if (uid is not null && uid != context.Project.Metadata.Uid)
        {
            return;
        }

        try
        {
            await roles.DeleteAsync(name, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Deleting, $"MQTT role {name} deleted");
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: access function {Function}'s surroundings differ in {Delta}")]
    private static partial void LogDelta(ILogger logger, string key, string function, string delta);
}
