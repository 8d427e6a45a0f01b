namespace OpenKbs.Api.V1Alpha1;

/// <summary>What deleting a ClientAccount does to its AWS account.</summary>
public enum AccountDeletionPolicy
{
    /// <summary>Leave the account untouched, tagged <c>openkbs.com/released</c>.</summary>
    Retain,

    /// <summary>Close the account (CloseAccount) and wait until AWS reports it closed.</summary>
    Close,
}
