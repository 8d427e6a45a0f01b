using OpenKbs.Aws.Scheduler.Model;

namespace OpenKbs.Aws.Scheduler;

/// <summary>
/// EventBridge Scheduler (restJson1, regional, 2021-06-30): schedule groups and schedules. Names and shapes follow the official
/// AWSSDK.Scheduler client (docs/aws.md, the official-package debt). A Lambda target needs a role that trusts
/// scheduler.amazonaws.com and may invoke the function; no Lambda resource policy is needed.
/// </summary>
public interface ISchedulerClient
{
    /// <summary>Creates a group (ConflictException when it exists: Conflict).</summary>
    Task<CreateScheduleGroupResponse> CreateScheduleGroupAsync(CreateScheduleGroupRequest request, CancellationToken cancellationToken = default);

    /// <summary>One group (ResourceNotFoundException: NotFound).</summary>
    Task<GetScheduleGroupResponse> GetScheduleGroupAsync(GetScheduleGroupRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a group and all its schedules.</summary>
    Task<DeleteScheduleGroupResponse> DeleteScheduleGroupAsync(DeleteScheduleGroupRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates a schedule (ConflictException when the name exists in the group: Conflict).</summary>
    Task<CreateScheduleResponse> CreateScheduleAsync(CreateScheduleRequest request, CancellationToken cancellationToken = default);

    /// <summary>One schedule.</summary>
    Task<GetScheduleResponse> GetScheduleAsync(GetScheduleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces a schedule entirely (send the whole desired state).</summary>
    Task<UpdateScheduleResponse> UpdateScheduleAsync(UpdateScheduleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule.</summary>
    Task<DeleteScheduleResponse> DeleteScheduleAsync(DeleteScheduleRequest request, CancellationToken cancellationToken = default);

    /// <summary>The schedules of a group (all pages).</summary>
    Task<ListSchedulesResponse> ListSchedulesAsync(ListSchedulesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or overwrites tags on a schedule group.</summary>
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags from a schedule group.</summary>
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>The tags of a schedule group.</summary>
    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default);
}
