using Microsoft.Extensions.DependencyInjection;

namespace OpenKbs.Controllers;

/// <summary>The one seam between the host and the controllers: the host calls this, each kind's controller registers itself here.</summary>
public static class ControllerRegistration
{
    public static IServiceCollection AddOpenKbsControllers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services;
    }
}
