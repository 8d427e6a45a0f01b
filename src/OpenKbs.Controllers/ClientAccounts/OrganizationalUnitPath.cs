namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// An OU path below the root, e.g. <c>Clients/Manufacturing</c>: at most <see cref="MaxDepth"/> names (AWS nests OUs
/// at most 5 levels below the root), each 1-128 characters. The CRD rejects bad paths at admission; this is the
/// operator's own check for objects written before the rule existed or with validation off.
/// </summary>
internal sealed record OrganizationalUnitPath
{
    /// <summary>AWS Organizations' OU nesting limit below the root.</summary>
    public const int MaxDepth = 5;

    /// <summary>AWS's longest OU name.</summary>
    public const int MaxNameLength = 128;

    private OrganizationalUnitPath(IReadOnlyList<string> segments) => Segments = segments;

    /// <summary>The root itself (no organizationalUnit in the spec).</summary>
    public static OrganizationalUnitPath Root { get; } = new([]);

    public IReadOnlyList<string> Segments { get; }

    public bool IsRoot => Segments.Count == 0;

    /// <summary>Parses <paramref name="path"/>; null or empty is the root. Returns false with a message naming the problem.</summary>
    public static bool TryParse(string? path, out OrganizationalUnitPath result, out string? error)
    {
        result = Root;
        error = null;
        if (string.IsNullOrEmpty(path))
        {
            return true;
        }

        var segments = path.Split('/');
        if (segments.Any(s => s.Length == 0))
        {
            error = $"organizationalUnit '{path}' has an empty name (a leading, trailing or double '/'); write it as Parent/Child";
            return false;
        }

        if (segments.Length > MaxDepth)
        {
            error = $"organizationalUnit '{path}' is {segments.Length} levels deep; AWS Organizations nests organizational units at most {MaxDepth} levels below the root";
            return false;
        }

        if (segments.FirstOrDefault(s => s.Length > MaxNameLength) is { } tooLong)
        {
            error = $"organizational unit name '{tooLong[..20]}...' in organizationalUnit is {tooLong.Length} characters long; AWS allows at most {MaxNameLength}";
            return false;
        }

        if (segments.FirstOrDefault(s => s != s.Trim()) is { } padded)
        {
            error = $"organizational unit name '{padded}' in organizationalUnit starts or ends with a space";
            return false;
        }

        result = new OrganizationalUnitPath(segments);
        return true;
    }

    public override string ToString() => IsRoot ? "(root)" : string.Join('/', Segments);
}
