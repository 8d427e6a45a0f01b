using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// One function as Lambda reports it (the manager's GetFunction read, nothing derived): its configuration and its tags
/// (empty when it has none). A function that does not exist is no observation (null).
/// </summary>
internal sealed record FunctionObservation(FunctionConfiguration Configuration, IReadOnlyDictionary<string, string> Tags)
{
    public string? Arn => Configuration.FunctionArn;

    /// <summary>The owner named by a uid tag that is not <paramref name="uid"/>, or null (untagged counts as ours).</summary>
    public string? OwnerOtherThan(string? uid) => OwnershipTags.ForeignOwner(Tags, uid);

    public bool IsReleased => OwnershipTags.IsReleased(Tags);

    /// <summary>Lambda is still creating it or applying an update: no change may be sent now.</summary>
    public bool IsBusy => Configuration.State == "Pending" || Configuration.LastUpdateStatus == "InProgress";
}
