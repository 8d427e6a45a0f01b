namespace OpenKbs.Runtime.Cache;

/// <summary>A kind the runtime caches: its CLR type and where it lives in the API.</summary>
internal sealed record ResourceRegistration(Type ResourceType, ResourceDescriptor Descriptor);
