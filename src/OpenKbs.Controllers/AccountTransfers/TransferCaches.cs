using k8s.Models;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>What a transfer reads besides AWS: the informer caches of the kinds it holds and the namespace's Secrets and ConfigMaps (never cached).</summary>
internal sealed record TransferCaches(
    IResourceCache<ClientAccount> Accounts,
    IResourceCache<Project> Projects,
    IResourceCache<AccountTransfer> Transfers,
    ICoreObjects<V1Secret> Secrets,
    ICoreObjects<V1ConfigMap> ConfigMaps);
