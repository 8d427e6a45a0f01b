using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>An EventBridge Scheduler schedule that invokes one of the project's functions.</summary>
public sealed record ScheduleSpec
{
    /// <summary>The schedule's name within the project: lowercase letters, digits and '-', at most 32 characters.</summary>
    [Pattern(Patterns.ShortName)]
    [MaxLength(32)]
    public required string Name { get; init; }

    /// <summary>When to run, in EventBridge Scheduler syntax: <c>rate(5 minutes)</c>, <c>cron(0 8 * * ? *)</c>
    /// (six fields: minutes hours day-of-month month day-of-week year) or <c>at(2026-12-24T18:00:00)</c>.</summary>
    [MinLength(1)]
    [MaxLength(256)]
    [CelRule(
        "self.matches('^(rate[(](1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))[)]|cron[(][^ ()]+( [^ ()]+){5}[)]|at[(][0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[)])$')",
        "expression must be rate(VALUE UNIT) such as rate(1 hour) or rate(5 minutes), cron(minutes hours day-of-month month day-of-week year) with six fields such as cron(0 8 * * ? *), or at(yyyy-mm-ddThh:mm:ss)")]
    [CelRule(
        "!self.startsWith('cron(') || self.matches('^cron[(][^ ]+ [^ ]+ ([?] [^ ]+ [^ ]+|[^ ]+ [^ ]+ [?]) [^ ]+[)]$')",
        "in a cron expression either day-of-month or day-of-week must be '?', such as cron(0 8 * * ? *) or cron(0 8 ? * MON-FRI *)")]
    public required string Expression { get; init; }

    /// <summary>The IANA time zone the expression is read in, e.g. <c>Europe/Berlin</c>; UTC when absent.</summary>
    [MaxLength(64)]
    [Pattern("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$")]
    public string? Timezone { get; init; }

    /// <summary>The name of the function to invoke; must be one of spec.functions.</summary>
    [Pattern(Patterns.ShortName)]
    [MaxLength(32)]
    public required string Function { get; init; }

    /// <summary>Whether the schedule fires; true when absent.</summary>
    public bool? Enabled { get; init; }
}
