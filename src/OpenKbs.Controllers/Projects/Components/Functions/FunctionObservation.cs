using OpenKbs.Aws.Lambda.Model;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// One function as Lambda reports it (the manager's GetFunction read, nothing derived): its configuration and its tags
/// (empty when it has none). A function that does not exist is no observation (null).
/// </summary>
internal sealed record FunctionObservation(FunctionConfiguration Configuration, IReadOnlyDictionary<string, string> Tags)
{
    public string? Arn => Configuration.FunctionArn;

    /// <summary>The uid tag when it names another owner than <paramref name="uid"/>, else null (untagged counts as ours).</summary>
    public string? OwnerOtherThan(string? uid) =>
        Tags.TryGetValue(Api.Labels.Uid, out var tagged) && tagged != uid ? Tags.GetValueOrDefault(Api.Labels.Owner) ?? tagged : null;

    public bool IsReleased => Tags.ContainsKey(Api.Labels.Released);

    /// <summary>Lambda is still creating it or applying an update: no change may be sent now.</summary>
    public bool IsBusy => Configuration.State == "Pending" || Configuration.LastUpdateStatus == "InProgress";
}
