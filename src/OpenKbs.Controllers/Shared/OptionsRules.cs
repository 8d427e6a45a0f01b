using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenKbs.Controllers.Shared;

/// <summary>
/// The one configuration path of the controllers: each binds its section of <see cref="IConfiguration"/> (appsettings,
/// <c>OPENKBS_</c> environment variables, the chart's values) with <see cref="Register{TOptions}"/>, and a bad setting stops
/// the host at registration with every failure named.
/// </summary>
internal static class OptionsRules
{
    /// <summary>
    /// Binds <paramref name="section"/> to a new <typeparamref name="TOptions"/>, refuses it when <paramref name="failures"/>
    /// names any, and registers it as itself and as <see cref="IOptions{TOptions}"/> (first registration wins, so a test
    /// may register its own before).
    /// </summary>
    public static TOptions Register<TOptions>(IServiceCollection services, IConfiguration? configuration, string section, Func<TOptions, IEnumerable<string>> failures)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(failures);
        var settings = new TOptions();
        configuration?.GetSection(section).Bind(settings);
        Enforce<TOptions>(failures(settings));
        services.TryAddSingleton(settings);
        services.TryAddSingleton<IOptions<TOptions>>(Options.Create(settings));
        return settings;
    }

    /// <summary>Every wait must be positive; an optional interval or worker count, when set, too.</summary>
    public static IEnumerable<string> Check(string section, IEnumerable<(string Name, TimeSpan? Value)> waits, IEnumerable<(string Name, int? Value)> counts)
    {
        foreach (var (name, value) in waits)
        {
            if (value is { } wait && wait <= TimeSpan.Zero)
            {
                yield return $"{section}:{name} must be positive, got {wait}";
            }
        }

        foreach (var (name, value) in counts)
        {
            if (value is { } count && count < 1)
            {
                yield return $"{section}:{name} must be at least 1, got {count}";
            }
        }
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> naming every violated rule.</summary>
    public static void Enforce<TOptions>(IEnumerable<string> failures)
    {
        var list = failures.ToList();
        if (list.Count > 0)
        {
            throw new OptionsValidationException(typeof(TOptions).Name, typeof(TOptions), list);
        }
    }
}
