namespace OpenKbs.Runtime.Controllers;

/// <summary>What <c>AddController</c> recorded about one controller.</summary>
internal sealed record ControllerRegistration(
    Type ResourceType, Type ReconcilerType, ResourceDescriptor Descriptor, ControllerOptions Options, IReadOnlyList<RelatedWatch> Related);
