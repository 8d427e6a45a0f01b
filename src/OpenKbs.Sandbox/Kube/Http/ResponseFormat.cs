namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>What the client's Accept header asked for.</summary>
internal enum ResponseFormat
{
    Json,
    Table,
    PartialObjectMetadata,
    PartialObjectMetadataList,
}
