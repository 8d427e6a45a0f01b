using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>One step of an account transfer.</summary>
public sealed class TransferStep
{
    /// <summary>The step.</summary>
    public TransferStepName Name { get; set; }

    /// <summary>Pending, InProgress, Waiting, Succeeded or Failed.</summary>
    public TransferStepState State { get; set; }

    /// <summary>When the step last changed state.</summary>
    public DateTime? LastTransitionTime { get; set; }

    /// <summary>What happened or what is awaited.</summary>
    [MaxLength(1024)]
    public string? Message { get; set; }
}
