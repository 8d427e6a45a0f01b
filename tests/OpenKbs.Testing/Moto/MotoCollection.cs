namespace OpenKbs.Testing.Moto;

/// <summary>
/// The name of the xunit collection that shares <see cref="MotoServerFixture"/>. xunit 2 only finds
/// collection definitions in the test assembly itself, so each test assembly that uses moto declares
/// it once:
/// <code>
/// [CollectionDefinition(MotoCollection.Name)]
/// public sealed class MotoCollectionDefinition : ICollectionFixture&lt;MotoServerFixture&gt;;
/// </code>
/// and each test class says <c>[Collection(MotoCollection.Name)]</c> and takes the fixture in its constructor.
/// </summary>
public static class MotoCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "moto";
}
