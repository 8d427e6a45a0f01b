namespace OpenKbs.Api.V1Alpha1;

/// <summary>The state of one transfer step.</summary>
public enum TransferStepState
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>The operator is working on it.</summary>
    InProgress,

    /// <summary>Waiting for a human (the client or the approver).</summary>
    Waiting,

    /// <summary>Done.</summary>
    Succeeded,

    /// <summary>Failed; see the message.</summary>
    Failed,
}
