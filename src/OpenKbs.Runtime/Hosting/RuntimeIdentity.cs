namespace OpenKbs.Runtime.Hosting;

/// <summary>Who this process is (Lease holder, Event reporting instance) and where its Lease lives.</summary>
internal sealed record RuntimeIdentity(string Identity, string LeaseNamespace)
{
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    public static RuntimeIdentity Resolve(RuntimeOptions options)
    {
        var identity = options.LeaderElection.Identity;
        if (string.IsNullOrWhiteSpace(identity))
        {
            identity = $"{Environment.MachineName}_{Guid.NewGuid():N}";
        }

        var leaseNamespace = options.LeaderElection.LeaseNamespace;
        if (string.IsNullOrWhiteSpace(leaseNamespace))
        {
            leaseNamespace = Environment.GetEnvironmentVariable("POD_NAMESPACE");
        }

        if (string.IsNullOrWhiteSpace(leaseNamespace) && File.Exists(ServiceAccountNamespaceFile))
        {
            leaseNamespace = File.ReadAllText(ServiceAccountNamespaceFile).Trim();
        }

        return new RuntimeIdentity(identity, string.IsNullOrWhiteSpace(leaseNamespace) ? "default" : leaseNamespace);
    }
}
