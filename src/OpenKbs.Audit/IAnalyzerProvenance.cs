namespace OpenKbs.Audit;

/// <summary>An analyzer that can say which data it used (e.g. the advisory snapshot), read by the engine after a run for the report.</summary>
public interface IAnalyzerProvenance
{
    string? Provenance { get; }
}
