using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Support;

[CollectionDefinition(MotoCollection.Name)]
public sealed class MotoCollectionDefinition : ICollectionFixture<MotoServerFixture>;
