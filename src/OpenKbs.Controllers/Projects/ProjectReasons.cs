namespace OpenKbs.Controllers.Projects;

/// <summary>Project condition and event reasons beyond the shared ones in <see cref="Api.ConditionReasons"/>.</summary>
internal static class ProjectReasons
{
    /// <summary>The component waits for an earlier one (e.g. functions for the verified artifact).</summary>
    public const string WaitingForDependency = "WaitingForDependency";

    /// <summary>An AWS object is owned by another Project (its openkbs.com/uid tag differs).</summary>
    public const string TerminalOwnershipConflict = Api.ConditionReasons.TerminalOwnershipConflict;

    /// <summary>Event: a new deployment's API keys were handed over in the Secret.</summary>
    public const string KeysHandedOver = "KeysHandedOver";

    /// <summary>Event: the keys of an earlier deployment are no longer accepted.</summary>
    public const string KeysRevoked = "KeysRevoked";

    /// <summary>Event: the client marked the handed-over keys collected and their plaintext was deleted from the Secret.</summary>
    public const string KeysPlaintextDeleted = "KeysPlaintextDeleted";

    /// <summary>Event: a new version runs.</summary>
    public const string Deployed = "Deployed";

    /// <summary>Event: an AWS setting was put back (drift).</summary>
    public const string DriftCorrected = "DriftCorrected";
}
