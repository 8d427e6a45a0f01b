using OpenKbs.Testing.Moto;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>The one moto collection of this assembly.</summary>
[CollectionDefinition(MotoCollection.Name)]
public sealed class MotoCollectionDefinition : ICollectionFixture<MotoServerFixture>;
