using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>An observed EventBridge Scheduler schedule.</summary>
public sealed class ScheduleStatus
{
    /// <summary>The schedule's name in the spec.</summary>
    [MaxLength(32)]
    public string? Name { get; set; }

    /// <summary>The schedule's ARN.</summary>
    [MaxLength(256)]
    public string? Arn { get; set; }

    /// <summary>The schedule's state as EventBridge Scheduler reports it (ENABLED or DISABLED).</summary>
    [MaxLength(32)]
    public string? State { get; set; }
}
