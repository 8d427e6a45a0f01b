namespace OpenKbs.Aws.Audit;

/// <summary>The operator's own address, recorded as the source IP of every audit record.</summary>
public interface ISourceAddressProvider
{
    string SourceAddress { get; }
}
