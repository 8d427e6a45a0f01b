namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>
/// The AWS names of a project's access objects, derived like <see cref="ProjectNames"/> (cleaned <c>{namespace}-{name}</c> cut
/// to the limit, plus the uid hash). The function name deliberately does not start with <see cref="ProjectNames.FunctionPrefix"/>
/// (an underscore where the prefix has '-'): the functions step deletes every function under that prefix that is not in the spec.
/// </summary>
internal static class AccessNames
{
    /// <summary>The access function (at most 22 + 1 + 8 + 7 = 38 characters).</summary>
    public static string Function(ProjectNames names) => $"{names.Base(22)}-{names.Hash}_access";

    /// <summary>The access function's own execution role (at most 64 characters): the client functions cannot sign tokens.</summary>
    public static string Role(ProjectNames names) => $"okbs-{names.Base(43)}-{names.Hash}-access";

    /// <summary>The inline policy of the access role.</summary>
    public const string RolePolicy = "openkbs-access";

    /// <summary>The per-project IoT role the access function assumes for MQTT credentials (at most 5 + 40 + 1 + 8 + 5 = 59 characters).</summary>
    public static string IotRole(ProjectNames names) => $"okbs-{names.Base(40)}-{names.Hash}-mqtt";

    /// <summary>The inline policy of the IoT role.</summary>
    public const string IotRolePolicy = "openkbs-mqtt";

    /// <summary>
    /// The project's MQTT topic prefix, <c>openkbs/{namespace-name}-{hash}/</c>: readable, and unique in the account through the
    /// uid hash (two projects never share a prefix, even when a cleaned and cut name collides).
    /// </summary>
    public static string TopicPrefix(ProjectNames names) => $"openkbs/{names.Base(40)}-{names.Hash}/";

    /// <summary>
    /// The project's MQTT client-id prefix, <c>okbs-{hash}-</c>: the IoT role allows connecting only with client ids under it, so
    /// a device of another project in the same account cannot take this project's client ids (and so its connections). The access
    /// function adds the key's name (<c>okbs-{hash}-{key}-</c>) and narrows each session to that with a session policy.
    /// </summary>
    public static string ClientIdPrefix(ProjectNames names) => $"okbs-{names.Hash}-";

    /// <summary>The alias of the project's RSA signing key.</summary>
    public static string SigningKeyAlias(ProjectNames names) => $"alias/openkbs/{names.Base(200)}-{names.Hash}-signing";

    /// <summary>The alias of the key that signed before the last rotation, while its tokens may still be alive.</summary>
    public static string PreviousSigningKeyAlias(ProjectNames names) => $"alias/openkbs/{names.Base(200)}-{names.Hash}-signing-previous";

    /// <summary>The <c>@openkbs/auth</c> layer of the project.</summary>
    public static string Layer(ProjectNames names) => $"okbs-{names.Base(40)}-{names.Hash}-auth";

    /// <summary>Where the access function's zip is kept in the project bucket, content-addressed.</summary>
    public static string CodeKey(string sha256) => $"openkbs/access/sha256/{sha256}.zip";
}
