namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>Primary emails changed through the Account API, and pending changes with their one-time passwords, by account id.</summary>
internal sealed class PrimaryEmailDirectory
{
    private readonly Dictionary<string, string> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingPrimaryEmailUpdate> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string? Current(string accountId)
    {
        lock (_gate)
        {
            return _current.GetValueOrDefault(accountId);
        }
    }

    public PendingPrimaryEmailUpdate? Pending(string accountId)
    {
        lock (_gate)
        {
            return _pending.GetValueOrDefault(accountId);
        }
    }

    public void Start(PendingPrimaryEmailUpdate update)
    {
        lock (_gate)
        {
            _pending[update.AccountId] = update;
        }
    }

    public void Accept(string accountId, string email)
    {
        lock (_gate)
        {
            _pending.Remove(accountId);
            _current[accountId] = email;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _current.Clear();
            _pending.Clear();
        }
    }
}
