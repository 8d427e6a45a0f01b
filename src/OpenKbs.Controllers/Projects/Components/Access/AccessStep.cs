using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.IoT;
using OpenKbs.Aws.IoT.Model;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.S3.Model;
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
/// SIGN_VERIFY KMS key (alias <see cref="AccessNames.SigningKeyAlias"/>, owner tags; recorded in <c>status.access.signingKeyId</c>
/// right after it is created), the access function's own role (<see cref="AccessRendering.RolePolicy"/>), the function itself
/// (the operator's embedded JavaScript, <see cref="AccessBundle"/>, copied content-addressed into the project bucket and converged
/// by <see cref="FunctionConvergence"/> like a client function, with only the sealed API-key hashes), its Function URL
/// (AuthType AWS_IAM: reachable only signed, i.e. through the CDN's origin access control) and the <c>@openkbs/auth</c> layer
/// (published only when its content SHA-256 changed). The Function URL goes to later steps (<see cref="AccessFacts"/>).
/// With a distribution in status, the function's resource policy lets exactly that distribution call the URL. A drift check
/// costs reads only: DescribeKey, ListResourceTags, GetRole, GetRolePolicy, HeadObject, GetFunction, GetFunctionUrlConfig,
/// GetPolicy (with a CDN), ListLayerVersions; with MQTT the IoT role's reads (GetRole, GetRolePolicy, ListRolePolicies,
/// ListAttachedRolePolicies) and no IoT call: the data endpoint, read once with DescribeEndpoint, is kept in <c>status.access.mqttEndpoint</c>.
/// </summary>
internal sealed class AccessStep(ILogger<AccessStep> logger) : IProjectStep
{
    public string Name => "access";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var names = context.Names;
        var functionName = AccessNames.Function(names);
        if (!AccessRendering.Enabled(context.Spec))
        {
            if (context.Status.Access is not null)
            {
                await DeleteUrlAsync(context, functionName, cancellationToken);
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
        var (signing, previous) = await SigningKeys.EnsureAsync(context, access, cancellationToken);
        var publishPrevious = SigningKeys.PublishPrevious(access, previous, context.Now);
        if (signing.KeyState != "Enabled")
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalAwsError,
                $"the signing key {signing.KeyId} is {signing.KeyState}: no token can be signed; enable it again (KMS) or cancel its deletion");
        }

        var mqtt = AccessRendering.MqttEnabled(context.Spec);
        var iotRoleArn = mqtt ? $"arn:aws:iam::{context.AccountId}:role/{AccessNames.IotRole(names)}" : null;
        var roleArn = await EnsureRoleAsync(context, storage.KeyArn, signing.Arn!, previous?.Arn, iotRoleArn, cancellationToken);
        if (roleArn is null)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"role {AccessNames.Role(names)} belongs to another owner, not to this Project; nothing was changed");
        }

        MqttTarget? mqttTarget = null;
        if (mqtt)
        {
            if (await EnsureIotRoleAsync(context, roleArn, cancellationToken) is not { } iotRole)
            {
                return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                    $"role {AccessNames.IotRole(names)} belongs to another owner, not to this Project; MQTT was not set up");
            }

            // The data endpoint of an account never changes: read once, then kept in status (no read per drift check).
            access.MqttEndpoint ??= (await context.Aws.IoT.DescribeEndpointAsync(new DescribeEndpointRequest { EndpointType = IotEndpointTypes.DataAts }, cancellationToken)).EndpointAddress
                ?? throw new InvalidOperationException("IoT DescribeEndpoint answered without an endpoint address");
            mqttTarget = new MqttTarget(access.MqttEndpoint, iotRole);
        }
        else if (access.MqttEndpoint is not null)
        {
            await DeleteIotRoleAsync(context, cancellationToken);
            access.MqttEndpoint = null;
        }

        var code = await EnsureCodeAsync(context, bucket, cancellationToken);
        var settings = keys.SealedSettings.Where(s => s.Key == ApiKeyStagingStep.Variable).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var seals = new SealCache(context, storage.KeyArn, settings);
        var desired = AccessRendering.Function(context, roleArn, new SigningTarget(signing.Arn!, publishPrevious ? previous!.Arn : null), code, seals.Digests, mqttTarget);
        var (outcome, state) = await new FunctionConvergence(new FunctionManager(context.Aws.Lambda), logger).ConvergeAsync(context, desired, seals, cancellationToken);
        access.FunctionName = functionName;
        access.TokenUrl = AccessRendering.Url(context, "/auth/token");
        access.JwksUrl = AccessRendering.Url(context, "/auth/jwks.json");
        if (!outcome.IsReady)
        {
            // Lambda refuses URL changes while the function is Pending or updating (409): the URL and the layer follow once it is done.
            return outcome.With(new AccessFacts(access.FunctionUrl, state.Arn, Converged: false, access.LayerVersionArn, access.JwksUrl));
        }

        if (await SigningKeys.AfterFunctionConvergedAsync(context, access, previous, publishPrevious, cancellationToken))
        {
            await EnsureRoleAsync(context, storage.KeyArn, signing.Arn!, null, iotRoleArn, cancellationToken); // the retired key's grant goes
        }

        access.FunctionUrl = await EnsureUrlAsync(context, functionName, cancellationToken);
        if (context.Status.Cdn?.DistributionId is { } distribution)
        {
            await EnsureCloudFrontPermissionAsync(context, functionName, distribution, cancellationToken);
        }

        access.LayerVersionArn = await EnsureLayerAsync(context, cancellationToken);
        var mqttNote = mqttTarget is null ? string.Empty : $"; MQTT on {mqttTarget.Endpoint} under {AccessNames.TopicPrefix(names)}";
        return StepOutcome.Ready($"access function {functionName}: tokens signed by KMS key {signing.KeyId}, valid {AccessRendering.TokenLifetime(context.Spec)} s; Function URL with IAM auth; layer {access.LayerVersionArn}{mqttNote}")
            .With(new AccessFacts(access.FunctionUrl, state.Arn, Converged: true, access.LayerVersionArn, access.JwksUrl));
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lambda = context.Aws.Lambda;
        var functionName = AccessNames.Function(context.Names);
        GetFunctionResponse? function = null;
        try
        {
            function = await lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = functionName }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        if (function?.Tags is { } tags && tags.TryGetValue(Labels.Uid, out var uid) && uid != context.Project.Metadata.Uid)
        {
            return StepOutcome.Ready($"function {functionName} belongs to another owner and was left alone");
        }

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (function is not null && function.Tags?.ContainsKey(Labels.Released) != true)
            {
                await lambda.TagResourceAsync(new Aws.Lambda.Model.TagResourceRequest
                {
                    Resource = function.Configuration!.FunctionArn!,
                    Tags = new Dictionary<string, string> { [Labels.Released] = OwnershipTags.ReleasedValue(context.Now) },
                }, cancellationToken);
            }

            return StepOutcome.Ready($"access function {functionName}, its role and the signing key kept (tagged {Labels.Released} where present)");
        }

        try
        {
            if (function is not null)
            {
                await lambda.DeleteFunctionAsync(new DeleteFunctionRequest { FunctionName = functionName }, cancellationToken);
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

    /// <summary>The access role (created when missing; trust and inline policy put back when they differ); null when it is another owner's.</summary>
    private static async Task<string?> EnsureRoleAsync(
        ProjectContext context, string projectKeyArn, string signingKeyArn, string? previousSigningKeyArn, string? iotRoleArn, CancellationToken cancellationToken)
    {
        var desired = new RoleDesired(
            AccessNames.Role(context.Names),
            $"OpenKBS: the access function of Project {context.Key} (sign tokens, open the API-key hashes)",
            AccessRendering.TrustPolicy(),
            AccessNames.RolePolicy,
            AccessRendering.RolePolicy(context.Names, context.AccountId, context.Region, projectKeyArn, signingKeyArn, previousSigningKeyArn, iotRoleArn),
            context.Tags,
            OnlyThisPolicy: true);
        return await ConvergeRoleAsync(context, desired, cancellationToken);
    }

    /// <summary>The IoT role (trust: the access role only; policy: the project's topic prefix only); null when it is another owner's.</summary>
    private static async Task<string?> EnsureIotRoleAsync(ProjectContext context, string accessRoleArn, CancellationToken cancellationToken)
    {
        var desired = new RoleDesired(
            AccessNames.IotRole(context.Names),
            $"OpenKBS: MQTT credentials of Project {context.Key} (assumed by its access function for 900 s; topics {AccessNames.TopicPrefix(context.Names)}* only)",
            AccessRendering.IotTrustPolicy(accessRoleArn),
            AccessNames.IotRolePolicy,
            AccessRendering.IotRolePolicy(context.Names, context.AccountId, context.Region),
            context.Tags,
            OnlyThisPolicy: true);
        return await ConvergeRoleAsync(context, desired, cancellationToken);
    }

    /// <summary>A role of the access component created when missing, trust and policy put back when they differ; null when it is another owner's.</summary>
    private static async Task<string?> ConvergeRoleAsync(ProjectContext context, RoleDesired desired, CancellationToken cancellationToken)
    {
        var roles = new RoleManager(context.Aws.Iam);
        var role = await roles.GetAsync(desired.Name, cancellationToken);
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

        await roles.ApplyAsync(desired, RoleDelta.Between(desired, observed), cancellationToken);
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

    /// <summary>The access function's zip in the project bucket (content-addressed: uploaded once per operator build).</summary>
    private static async Task<ArtifactLocation> EnsureCodeAsync(ProjectContext context, string bucket, CancellationToken cancellationToken)
    {
        var bundle = AccessBundle.Current;
        var key = AccessNames.CodeKey(bundle.FunctionSha256);
        string? version;
        try
        {
            version = (await context.Aws.S3.HeadObjectAsync(new HeadObjectRequest { BucketName = bucket, Key = key }, cancellationToken)).VersionId;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            version = (await context.Aws.S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                ContentBody = bundle.FunctionZip,
                ContentType = "application/zip",
            }, cancellationToken)).VersionId;
        }

        return new ArtifactLocation { Bucket = bucket, Key = key, VersionId = version, Sha256 = bundle.FunctionSha256 };
    }

    /// <summary>The Function URL with AuthType AWS_IAM (created when missing, put back when changed).</summary>
    private static async Task<string?> EnsureUrlAsync(ProjectContext context, string functionName, CancellationToken cancellationToken)
    {
        var lambda = context.Aws.Lambda;
        try
        {
            var current = await lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = functionName }, cancellationToken);
            if (current.AuthType == AuthTypeIam)
            {
                return current.FunctionUrl;
            }

            var updated = await lambda.UpdateFunctionUrlConfigAsync(new UpdateFunctionUrlConfigRequest { FunctionName = functionName, AuthType = AuthTypeIam }, cancellationToken);
            context.Event(EventType.Warning, ProjectReasons.DriftCorrected, $"function URL of {functionName}: auth type {current.AuthType} put back to {AuthTypeIam}");
            return updated.FunctionUrl ?? current.FunctionUrl;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            var created = await lambda.CreateFunctionUrlConfigAsync(new CreateFunctionUrlConfigRequest { FunctionName = functionName, AuthType = AuthTypeIam }, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Creating, $"function URL of {functionName} created (IAM auth)");
            return created.FunctionUrl;
        }
    }

    /// <summary>
    /// The function's resource policy lets exactly the project's distribution call the URL (<c>lambda:InvokeFunctionUrl</c>,
    /// principal cloudfront.amazonaws.com, SourceArn the distribution): what origin access control of type lambda needs.
    /// One GetPolicy read when it is in place.
    /// </summary>
    private static async Task EnsureCloudFrontPermissionAsync(ProjectContext context, string functionName, string distribution, CancellationToken cancellationToken)
    {
        var lambda = context.Aws.Lambda;
        var sourceArn = $"arn:aws:cloudfront::{context.AccountId}:distribution/{distribution}";
        string? policy = null;
        try
        {
            policy = (await lambda.GetPolicyAsync(new GetPolicyRequest { FunctionName = functionName }, cancellationToken)).Policy;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        if (policy?.Contains(CloudFrontStatement, StringComparison.Ordinal) == true)
        {
            if (policy.Contains(sourceArn, StringComparison.Ordinal))
            {
                return;
            }

            await lambda.RemovePermissionAsync(new RemovePermissionRequest { FunctionName = functionName, StatementId = CloudFrontStatement }, cancellationToken);
        }

        await lambda.AddPermissionAsync(new AddPermissionRequest
        {
            FunctionName = functionName,
            StatementId = CloudFrontStatement,
            Action = "lambda:InvokeFunctionUrl",
            Principal = "cloudfront.amazonaws.com",
            SourceArn = sourceArn,
            FunctionUrlAuthType = AuthTypeIam,
        }, cancellationToken);
    }

    private const string CloudFrontStatement = "openkbs-cloudfront";

    private static async Task DeleteUrlAsync(ProjectContext context, string functionName, CancellationToken cancellationToken)
    {
        try
        {
            await context.Aws.Lambda.DeleteFunctionUrlConfigAsync(new DeleteFunctionUrlConfigRequest { FunctionName = functionName }, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Deleting, $"access turned off: function URL of {functionName} removed (the function and the signing key are kept)");
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }
    }

    /// <summary>The newest layer version when it holds the current helper (its description names the content SHA-256), else a new one.</summary>
    private static async Task<string?> EnsureLayerAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        var bundle = AccessBundle.Current;
        var layer = AccessNames.Layer(context.Names);
        var description = $"@openkbs/auth sha256 {bundle.LayerSha256}";
        IReadOnlyList<LayerVersionsListItem> versions = [];
        try
        {
            versions = (await context.Aws.Lambda.ListLayerVersionsAsync(new ListLayerVersionsRequest { LayerName = layer }, cancellationToken)).LayerVersions;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        if (versions.OrderByDescending(v => v.Version ?? 0).FirstOrDefault() is { } newest && newest.Description == description)
        {
            return newest.LayerVersionArn;
        }

        var published = await context.Aws.Lambda.PublishLayerVersionAsync(new PublishLayerVersionRequest
        {
            LayerName = layer,
            Description = description,
            Content = new LayerVersionContentInput { ZipFile = bundle.LayerZip },
            CompatibleRuntimes = [LambdaRuntimes.NodeJs24, LambdaRuntimes.NodeJs22],
        }, cancellationToken);
        context.Event(EventType.Normal, ConditionReasons.Creating, $"layer {published.LayerVersionArn} published (@openkbs/auth, sha256 {bundle.LayerSha256[..12]}…)");
        return published.LayerVersionArn;
    }

    private const string AuthTypeIam = "AWS_IAM";
}
