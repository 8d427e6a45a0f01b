namespace OpenKbs.Runtime.Cache;

/// <summary>Whether an informer is alive: its loop runs and its watch is up (or has been down only briefly).</summary>
internal sealed record InformerHealth(bool Healthy, bool Synced, string Detail);
