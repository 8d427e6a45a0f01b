using System.Reflection;
using OpenKbs.Aws.Organizations;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// Wraps the real Organizations client and "crashes" (throws <see cref="SimulatedCrashException"/>) at one operation,
/// before it is sent or after AWS has executed it, once. Everything else goes to moto unchanged.
/// </summary>
public class CrashingOrganizations : DispatchProxy
{
    private static readonly MethodInfo AfterMethod = typeof(CrashingOrganizations).GetMethod(nameof(AfterAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private IOrganizationsClient _inner = null!;
    private string _operation = string.Empty;
    private bool _after;
    private int _armed = 1;

    internal static IOrganizationsClient Wrap(IOrganizationsClient inner, string operation, bool after)
    {
        var proxy = Create<IOrganizationsClient, CrashingOrganizations>();
        var self = (CrashingOrganizations)(object)proxy;
        self._inner = inner;
        self._operation = operation + "Async";
        self._after = after;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var hit = targetMethod.Name == _operation && Interlocked.Exchange(ref _armed, 0) == 1;
        if (hit && !_after)
        {
            throw new SimulatedCrashException($"crash before {_operation}");
        }

        var result = targetMethod.Invoke(_inner, args);
        if (hit && result is Task task)
        {
            var type = targetMethod.ReturnType.GetGenericArguments()[0];
            return AfterMethod.MakeGenericMethod(type).Invoke(null, [task, _operation]);
        }

        return result;
    }

    private static async Task<T> AfterAsync<T>(Task<T> task, string operation)
    {
        await task;
        throw new SimulatedCrashException($"crash after {operation} was executed");
    }
}
