using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenKbs.Controllers.Projects.Components.Schedules;

/// <summary>
/// EventBridge Scheduler expressions: <c>rate(1 hour)</c> / <c>rate(5 minutes)</c>, <c>cron(minutes hours day-of-month month
/// day-of-week year)</c> with exactly one of day-of-month and day-of-week being <c>?</c>, and <c>at(yyyy-mm-ddThh:mm:ss)</c>.
/// Checks the field ranges the schema's regular expression cannot.
/// </summary>
internal static partial class ScheduleExpressions
{
    /// <summary>What is wrong with <paramref name="expression"/>, or null when EventBridge Scheduler accepts it.</summary>
    public static string? Check(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression) || expression.Length > 256)
        {
            return "an expression of 1-256 characters is required: rate(5 minutes), cron(0 8 * * ? *) or at(2026-12-24T18:00:00)";
        }

        if (RatePattern().Match(expression) is { Success: true } rate)
        {
            var value = long.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
            var unit = rate.Groups[2].Value;
            return (value == 1) == !unit.EndsWith('s') && value >= 1
                ? null
                : "rate(VALUE UNIT) uses the singular unit for 1 and the plural otherwise, e.g. rate(1 hour) or rate(5 minutes)";
        }

        if (AtPattern().IsMatch(expression))
        {
            return DateTime.TryParseExact(expression[3..^1], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? null
                : "at(yyyy-mm-ddThh:mm:ss) must name a real date and time";
        }

        if (expression.StartsWith("cron(", StringComparison.Ordinal) && expression.EndsWith(')'))
        {
            return CheckCron(expression[5..^1]);
        }

        return "must be rate(VALUE UNIT) such as rate(1 hour), cron(minutes hours day-of-month month day-of-week year) such as cron(0 8 * * ? *), or at(yyyy-mm-ddThh:mm:ss)";
    }

    private static string? CheckCron(string body)
    {
        var fields = body.Split(' ');
        if (fields.Length != 6 || fields.Any(f => f.Length == 0))
        {
            return $"a cron expression has six fields (minutes hours day-of-month month day-of-week year), this one has {fields.Length}";
        }

        var (dayOfMonth, dayOfWeek) = (fields[2], fields[4]);
        if ((dayOfMonth == "?") == (dayOfWeek == "?"))
        {
            return "in a cron expression exactly one of day-of-month and day-of-week must be '?', such as cron(0 8 * * ? *) or cron(0 8 ? * MON-FRI *)";
        }

        string?[] problems =
        [
            Field(fields[0], "minutes", 0, 59, []),
            Field(fields[1], "hours", 0, 23, []),
            dayOfMonth == "?" ? null : Field(dayOfMonth, "day-of-month", 1, 31, ["L", "W", "LW"]),
            Field(fields[3], "month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
            dayOfWeek == "?" ? null : Field(dayOfWeek, "day-of-week", 1, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "L", "#"]),
            Field(fields[5], "year", 1970, 2199, []),
        ];
        return problems.FirstOrDefault(p => p is not null);
    }

    private static string? Field(string field, string name, int min, int max, IReadOnlyList<string> words)
    {
        foreach (var part in field.Split(','))
        {
            if (part is "*" || words.Any(w => part.Contains(w, StringComparison.OrdinalIgnoreCase)) && CronWordPattern().IsMatch(part))
            {
                continue;
            }

            var range = part.Split('/');
            if (range.Length > 2 || (range.Length == 2 && !int.TryParse(range[1], CultureInfo.InvariantCulture, out _)))
            {
                return $"the {name} field '{field}' has an invalid increment";
            }

            foreach (var bound in range[0] == "*" ? [] : range[0].Split('-'))
            {
                if (!int.TryParse(bound, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
                {
                    return $"the {name} field '{field}' must hold values from {min} to {max}";
                }
            }
        }

        return null;
    }

    [GeneratedRegex("^rate[(]([0-9]+) (minute|minutes|hour|hours|day|days)[)]$")]
    private static partial Regex RatePattern();

    [GeneratedRegex("^at[(][0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[)]$")]
    private static partial Regex AtPattern();

    [GeneratedRegex("^[A-Za-z0-9#/-]+$")]
    private static partial Regex CronWordPattern();
}
