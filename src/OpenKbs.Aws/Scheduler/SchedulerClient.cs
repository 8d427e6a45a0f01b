using System.Globalization;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Protocols;
using OpenKbs.Aws.Scheduler.Model;

namespace OpenKbs.Aws.Scheduler;

/// <summary>
/// The hand-written EventBridge Scheduler client (restJson1 over the shared pipeline). Idempotency tokens are generated once per
/// call (so retries of one call reuse them), target ARNs are checked by the EU guard, and the target Input is audited as a digest.
/// </summary>
internal sealed class SchedulerClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), ISchedulerClient
{
    private const string DefaultGroup = "default";

    private static readonly AwsService Service = AwsServices.Scheduler;

    // Dependent actions: a schedule passes its target role (iam:PassRole); a group created with tags needs scheduler:TagResource.
    internal static readonly AwsOperation CreateScheduleGroup = AwsOperation.Write(Service, nameof(CreateScheduleGroup)) with { Iam = ["scheduler:CreateScheduleGroup", "scheduler:TagResource"] };
    internal static readonly AwsOperation GetScheduleGroup = AwsOperation.Read(Service, nameof(GetScheduleGroup));
    internal static readonly AwsOperation DeleteScheduleGroup = AwsOperation.Write(Service, nameof(DeleteScheduleGroup));
    internal static readonly AwsOperation CreateSchedule = AwsOperation.Write(Service, nameof(CreateSchedule)) with { Iam = ["scheduler:CreateSchedule", "iam:PassRole"] };
    internal static readonly AwsOperation GetSchedule = AwsOperation.Read(Service, nameof(GetSchedule));
    internal static readonly AwsOperation UpdateSchedule = AwsOperation.Write(Service, nameof(UpdateSchedule)) with { Iam = ["scheduler:UpdateSchedule", "iam:PassRole"] };
    internal static readonly AwsOperation DeleteSchedule = AwsOperation.Write(Service, nameof(DeleteSchedule));
    internal static readonly AwsOperation ListSchedules = AwsOperation.Read(Service, nameof(ListSchedules));
    internal static readonly AwsOperation TagResource = AwsOperation.Write(Service, nameof(TagResource));
    internal static readonly AwsOperation UntagResource = AwsOperation.Write(Service, nameof(UntagResource));
    internal static readonly AwsOperation ListTagsForResource = AwsOperation.Read(Service, nameof(ListTagsForResource));

    public Task<CreateScheduleGroupResponse> CreateScheduleGroupAsync(CreateScheduleGroupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<CreateScheduleGroupResponse>(
            CreateScheduleGroup,
            HttpMethod.Post,
            "/schedule-groups/" + RestJsonCodec.Label(request.Name),
            request with { ClientToken = request.ClientToken ?? NewToken() },
            Audit(GroupArn(request.Name), d => d.Add("TagKeys", request.Tags?.Select(t => t.Key ?? string.Empty))),
            cancellationToken,
            resourceFromResult: r => r.ScheduleGroupArn);
    }

    public Task<GetScheduleGroupResponse> GetScheduleGroupAsync(GetScheduleGroupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<GetScheduleGroupResponse>(
            GetScheduleGroup, HttpMethod.Get, "/schedule-groups/" + RestJsonCodec.Label(request.Name), null, null, cancellationToken);
    }

    public Task<DeleteScheduleGroupResponse> DeleteScheduleGroupAsync(DeleteScheduleGroupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<DeleteScheduleGroupResponse>(
            DeleteScheduleGroup,
            HttpMethod.Delete,
            "/schedule-groups/" + RestJsonCodec.Label(request.Name),
            null,
            Audit(GroupArn(request.Name)),
            cancellationToken,
            query: [new("clientToken", request.ClientToken ?? NewToken())]);
    }

    public Task<CreateScheduleResponse> CreateScheduleAsync(CreateScheduleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<CreateScheduleResponse>(
            CreateSchedule,
            HttpMethod.Post,
            SchedulePath(request.Name),
            request with { ClientToken = request.ClientToken ?? NewToken() },
            Audit(ScheduleArn(request.GroupName, request.Name), d => Describe(d, request.ScheduleExpression, request.ScheduleExpressionTimezone, request.State, request.FlexibleTimeWindow, request.Target, request.ActionAfterCompletion)),
            cancellationToken,
            resourceFromResult: r => r.ScheduleArn,
            guardedArns: [request.Target.Arn, request.KmsKeyArn, request.Target.DeadLetterConfig?.Arn]);
    }

    public Task<GetScheduleResponse> GetScheduleAsync(GetScheduleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<GetScheduleResponse>(
            GetSchedule, HttpMethod.Get, SchedulePath(request.Name), null, null, cancellationToken, query: Group("groupName", request.GroupName));
    }

    public Task<UpdateScheduleResponse> UpdateScheduleAsync(UpdateScheduleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<UpdateScheduleResponse>(
            UpdateSchedule,
            HttpMethod.Put,
            SchedulePath(request.Name),
            request with { ClientToken = request.ClientToken ?? NewToken() },
            Audit(ScheduleArn(request.GroupName, request.Name), d => Describe(d, request.ScheduleExpression, request.ScheduleExpressionTimezone, request.State, request.FlexibleTimeWindow, request.Target, request.ActionAfterCompletion)),
            cancellationToken,
            resourceFromResult: r => r.ScheduleArn,
            guardedArns: [request.Target.Arn, request.KmsKeyArn, request.Target.DeadLetterConfig?.Arn]);
    }

    public Task<DeleteScheduleResponse> DeleteScheduleAsync(DeleteScheduleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = Group("groupName", request.GroupName);
        query.Add(new("clientToken", request.ClientToken ?? NewToken()));
        return RestJsonAsync<DeleteScheduleResponse>(
            DeleteSchedule, HttpMethod.Delete, SchedulePath(request.Name), null, Audit(ScheduleArn(request.GroupName, request.Name)), cancellationToken, query: query);
    }

    public async Task<ListSchedulesResponse> ListSchedulesAsync(ListSchedulesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListSchedules.Name,
            token =>
            {
                var query = Group("ScheduleGroup", request.GroupName);
                Add(query, "NamePrefix", request.NamePrefix);
                Add(query, "State", request.State);
                Add(query, "MaxResults", request.MaxResults?.ToString(CultureInfo.InvariantCulture));
                Add(query, "NextToken", token);
                return RestJsonAsync<ListSchedulesResponse>(ListSchedules, HttpMethod.Get, "/schedules", null, null, cancellationToken, query: query);
            },
            page => page.Schedules,
            page => page.NextToken);
        return new ListSchedulesResponse { Schedules = all };
    }

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<TagResourceResponse>(
            TagResource,
            HttpMethod.Post,
            "/tags/" + RestJsonCodec.Label(request.ResourceArn),
            request,
            Audit(request.ResourceArn, d => d.Add("Tags", request.Tags.Select(t => $"{t.Key}={t.Value}"))),
            cancellationToken);
    }

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<UntagResourceResponse>(
            UntagResource,
            HttpMethod.Delete,
            "/tags/" + RestJsonCodec.Label(request.ResourceArn),
            null,
            Audit(request.ResourceArn, d => d.Add("TagKeys", request.TagKeys)),
            cancellationToken,
            query: request.TagKeys.Select(k => new KeyValuePair<string, string>("TagKeys", k)));
    }

    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<ListTagsForResourceResponse>(
            ListTagsForResource, HttpMethod.Get, "/tags/" + RestJsonCodec.Label(request.ResourceArn), null, null, cancellationToken);
    }

    private static void Describe(
        Audit.AuditDetails details,
        string expression,
        string? timezone,
        string? state,
        FlexibleTimeWindow window,
        Target target,
        string? actionAfterCompletion) =>
        details.Add("ScheduleExpression", expression).Add("ScheduleExpressionTimezone", timezone).Add("State", state)
            .Add("FlexibleTimeWindow", window.Mode).Add("TargetArn", target.Arn).Add("RoleArn", target.RoleArn)
            .AddDigest("Input", target.Input).Add("ActionAfterCompletion", actionAfterCompletion);

    private static string SchedulePath(string name) => "/schedules/" + RestJsonCodec.Label(name);

    private static string NewToken() => Guid.NewGuid().ToString("D");

    private static List<KeyValuePair<string, string>> Group(string parameter, string? group) => group is null ? [] : [new(parameter, group)];

    private static void Add(List<KeyValuePair<string, string>> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add(new(name, value));
        }
    }

    private string GroupArn(string name) =>
        Scope.AccountId is null ? $"schedule-group/{name}" : $"arn:aws:scheduler:{Scope.Region}:{Scope.AccountId}:schedule-group/{name}";

    private string ScheduleArn(string? group, string name) =>
        Scope.AccountId is null
            ? $"schedule/{group ?? DefaultGroup}/{name}"
            : $"arn:aws:scheduler:{Scope.Region}:{Scope.AccountId}:schedule/{group ?? DefaultGroup}/{name}";
}
