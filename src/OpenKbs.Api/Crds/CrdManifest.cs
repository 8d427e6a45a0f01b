using k8s.Models;

namespace OpenKbs.Api.Crds;

/// <summary>One generated CRD: its file name in <c>crds/</c>, the object, and the YAML written to the file.</summary>
public sealed record CrdManifest(string FileName, V1CustomResourceDefinition Definition, string Yaml);
