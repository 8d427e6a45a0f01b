using Microsoft.Extensions.Options;
using OpenKbs.Runtime.Hosting;

namespace OpenKbs.Runtime;

/// <summary>Checks <see cref="RuntimeOptions"/> when the host starts (ValidateOnStart): every failure named by its setting.</summary>
internal sealed class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Require(bool holds, string failure)
        {
            if (!holds)
            {
                failures.Add(failure);
            }
        }

        Require(options.MaxConcurrentReconciles >= 1, $"MaxConcurrentReconciles must be at least 1 (is {options.MaxConcurrentReconciles})");
        Require(options.BackoffBase > TimeSpan.Zero, $"BackoffBase must be positive (is {options.BackoffBase})");
        Require(options.BackoffCap >= options.BackoffBase, $"BackoffCap ({options.BackoffCap}) must be at least BackoffBase ({options.BackoffBase})");
        Require(options.ResyncInterval > TimeSpan.Zero, $"ResyncInterval must be positive (is {options.ResyncInterval})");
        Require(options.TerminalRecheckInterval > TimeSpan.Zero, $"TerminalRecheckInterval must be positive (is {options.TerminalRecheckInterval})");
        var election = options.LeaderElection;
        Require(
            !election.Enabled || (election.LeaseDuration > election.RenewDeadline && election.RenewDeadline > election.RetryPeriod),
            $"leader election needs LeaseDuration > RenewDeadline > RetryPeriod (are {election.LeaseDuration}, {election.RenewDeadline}, {election.RetryPeriod})");
        foreach (var (setting, address) in new[] { ("MetricsBindAddress", options.MetricsBindAddress), ("HealthProbeBindAddress", options.HealthProbeBindAddress) })
        {
            try
            {
                _ = BindAddress.Parse(address);
            }
            catch (FormatException ex)
            {
                failures.Add($"{setting}: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
