using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>The one moto collection of this assembly: every class that uses moto joins it (they run one after another).</summary>
[CollectionDefinition(MotoCollection.Name)]
public sealed class MotoCollectionDefinition : ICollectionFixture<MotoServerFixture>;
