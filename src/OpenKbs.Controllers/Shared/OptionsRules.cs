using Microsoft.Extensions.Options;

namespace OpenKbs.Controllers.Shared;

/// <summary>Checks a controller's options when it is registered, so a bad setting stops the host with a clear message.</summary>
internal static class OptionsRules
{
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
