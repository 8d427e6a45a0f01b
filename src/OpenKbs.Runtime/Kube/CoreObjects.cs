using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OpenKbs.Runtime.Kube;

/// <summary><see cref="ICoreObjects{TObject}"/> over the KubernetesClient's CoreV1 API (Secrets and ConfigMaps).</summary>
public sealed class CoreObjects<TObject>(IKubernetes kubernetes) : ICoreObjects<TObject>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
{
    public async Task<TObject?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            object read = typeof(TObject) == typeof(V1Secret)
                ? await kubernetes.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false)
                : typeof(TObject) == typeof(V1ConfigMap)
                    ? await kubernetes.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : throw Unsupported();
            return (TObject)read;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<TObject> WriteAsync(TObject value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var ns = value.Metadata.NamespaceProperty;
        var name = value.Metadata.Name;
        var create = string.IsNullOrEmpty(value.Metadata.ResourceVersion);
        try
        {
            object written = value switch
            {
                V1Secret secret => create
                    ? await kubernetes.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await kubernetes.CoreV1.ReplaceNamespacedSecretAsync(secret, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                V1ConfigMap map => create
                    ? await kubernetes.CoreV1.CreateNamespacedConfigMapAsync(map, ns, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await kubernetes.CoreV1.ReplaceNamespacedConfigMapAsync(map, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                _ => throw Unsupported(),
            };
            return (TObject)written;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            // Not Gone: the reconciled object still exists; the pass runs again and reads the Secret or ConfigMap anew.
            throw new StatusConflictException($"{typeof(TObject).Name} {ns}/{name} changed since it was read: {(int)ex.Response.StatusCode}", ex);
        }
    }

    private static NotSupportedException Unsupported() => new($"{typeof(TObject).Name}: only V1Secret and V1ConfigMap are supported");
}
