namespace OpenKbs.Aws.Permissions;

/// <summary>Writes the generated IAM documents into a directory (the repository's <c>docs/iam/</c>, by <c>make iam</c>).</summary>
public static class IamPolicyFiles
{
    public const string ManagementPolicy = "management-account-policy.json";

    public const string MemberPolicy = "member-access-role-policy.json";

    public const string MemberTrustPolicy = "member-access-role-trust-policy.json";

    /// <summary>File name -> content, for <paramref name="options"/> (placeholders by default).</summary>
    public static IReadOnlyDictionary<string, string> Render(IamPolicyOptions? options = null) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ManagementPolicy] = OperatorPermissions.ManagementPolicy(options).ToJson(),
        [MemberPolicy] = OperatorPermissions.MemberPolicy(options).ToJson(),
        [MemberTrustPolicy] = OperatorPermissions.MemberTrustPolicy(options),
    };

    /// <summary>Writes the three documents into <paramref name="directory"/> (created if missing), leaving unchanged files untouched; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(string directory, IamPolicyOptions? options = null)
    {
        Directory.CreateDirectory(directory);
        var changed = new List<string>();
        foreach (var (name, content) in Render(options))
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path) || File.ReadAllText(path) != content)
            {
                File.WriteAllText(path, content);
                changed.Add(path);
            }
        }

        return changed;
    }
}
