using System.Collections;
using System.CommandLine;
using OpenKbs.Operator.Hosting;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs run`: the operator, from flags, OPENKBS_* environment variables and an optional config file.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command(
            "run",
            "Run the operator against a cluster (kubeconfig or in-cluster), watching all namespaces unless --namespace is given. "
            + "Every flag also reads from OPENKBS_<NAME> (e.g. OPENKBS_METRICS_BIND_ADDRESS) and from --config (JSON or YAML, camelCase keys). "
            + "AWS settings come from the standard AWS environment and credential chain.");
        var config = new Option<string?>("--config") { Description = "Configuration file (JSON or YAML) with the camelCase keys of the settings." };
        command.Options.Add(config);
        var readers = new Dictionary<string, Func<ParseResult, IReadOnlyList<string>?>>(StringComparer.Ordinal);
        foreach (var setting in OperatorSettings.All)
        {
            var description = $"{setting.Description} [env {setting.EnvironmentVariable}]";
            if (setting.Repeatable)
            {
                var option = new Option<string[]>(setting.Flag) { Description = description, Arity = ArgumentArity.OneOrMore };
                command.Options.Add(option);
                readers[setting.Key] = parse => parse.GetValue(option);
            }
            else
            {
                var option = new Option<string?>(setting.Flag) { Description = description };
                command.Options.Add(option);
                readers[setting.Key] = parse => parse.GetValue(option) is { } value ? [value] : null;
            }
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            OperatorOptions operatorOptions;
            try
            {
                var flags = readers
                    .Select(r => (r.Key, Values: r.Value(parse)))
                    .Where(r => r.Values is { Count: > 0 })
                    .ToDictionary(r => r.Key, r => r.Values!, StringComparer.Ordinal);
                var environment = Environment.GetEnvironmentVariables()
                    .Cast<DictionaryEntry>()
                    .ToDictionary(e => (string)e.Key, e => e.Value as string ?? string.Empty, StringComparer.Ordinal);
                operatorOptions = OperatorSettings.Load(parse.GetValue(config), environment, flags);
            }
            catch (Exception ex) when (ex is FormatException or IOException or YamlDotNet.Core.YamlException or System.Text.Json.JsonException)
            {
                await Console.Error.WriteLineAsync($"openkbs run: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            return await OperatorHost.RunAsync(operatorOptions, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
