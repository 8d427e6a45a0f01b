namespace OpenKbs.Controllers.Shared;

/// <summary>
/// Each AWS service's model has its own tag type; these read them as key/value pairs for <see cref="OwnershipTags"/> (a key
/// or value AWS left out reads as empty).
/// </summary>
internal static class AwsTagPairs
{
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(this IEnumerable<Aws.Iam.Model.Tag> tags) =>
        [.. tags.Select(t => KeyValuePair.Create(t.Key, t.Value))];

    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(this IEnumerable<Aws.Rds.Model.Tag> tags) =>
        [.. tags.Select(t => KeyValuePair.Create(t.Key ?? string.Empty, t.Value ?? string.Empty))];

    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(this IEnumerable<Aws.CloudFront.Model.Tag> tags) =>
        [.. tags.Select(t => KeyValuePair.Create(t.Key ?? string.Empty, t.Value ?? string.Empty))];

    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(this IEnumerable<Aws.Scheduler.Model.Tag> tags) =>
        [.. tags.Select(t => KeyValuePair.Create(t.Key ?? string.Empty, t.Value ?? string.Empty))];

    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(this IEnumerable<Aws.S3.Model.Tag> tags) =>
        [.. tags.Select(t => KeyValuePair.Create(t.Key ?? string.Empty, t.Value ?? string.Empty))];
}
