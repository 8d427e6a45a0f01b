using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Secrets;

/// <summary>
/// The secret detectors, most specific first: a value one rule reports is not reported again by a later one. Formats
/// follow the public shapes of each vendor's keys (catalog SEC-AWS-001/002, SEC-PK-003, SEC-DBURI-004, SEC-JWT-005,
/// SEC-VENDOR-007); the heuristics (SEC-GEN-006 and high entropy) carry allow-lists and stopwords in the gitleaks manner.
/// </summary>
internal static class SecretRules
{
    private const string RotateKey = "Revoke or rotate it now (it is compromised once it has shipped), then load it at run time from AWS Secrets Manager or SSM Parameter Store and keep it out of the code and the package.";
    private const string LeakImpact = "Anyone who obtains the artifact (a build log, a bucket, a copied zip, a former contractor) can use it.";

    /// <summary>Words of an identifier that name a secret.</summary>
    private const string SecretWords = "password|passwd|passphrase|pwd|secret|token|api[_\\-]?key|apikey|access[_\\-]?key|auth[_\\-]?key|credential|private[_\\-]?key|signing[_\\-]?key|encryption[_\\-]?key|client[_\\-]?secret|session[_\\-]?key";

    /// <summary>Identifier shapes that contain a secret word but name something else (gitleaks keeps a similar list).</summary>
    private static readonly string[] BenignKeyParts =
    [
        "tokenurl", "token_url", "tokenuri", "token_uri", "tokenendpoint", "token_endpoint", "tokentype", "token_type", "tokenizer",
        "nexttoken", "next_token", "continuationtoken", "paginationtoken", "pagetoken", "page_token", "csrf", "xsrf", "tokenlength",
        "secretname", "secret_name", "secretid", "secret_id", "secretarn", "secret_arn", "secretsmanager", "secretkeyref", "secretref",
        "passwordpolicy", "password_policy", "passwordfield", "password_field", "passwordlabel", "passwordhint", "passwordreset",
        "placeholder", "keyid", "key_id", "publickey", "public_key", "credentialsprovider", "credential_process", "credentialtype",
        "passwordlength", "password_length", "minpassword", "maxpassword", "tokens_used", "tokencount", "token_count", "passwordregex",
        "passwordpattern", "authkeyname", "apikeyname", "apikeyheader", "api_key_header", "secretpath", "secret_path",
    ];

    /// <summary>Values that stand in for a secret rather than being one.</summary>
    private static readonly HashSet<string> Stopwords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "secret", "token", "changeme", "change_me", "changeit", "example", "sample", "dummy", "placeholder",
        "redacted", "none", "null", "undefined", "true", "false", "test", "testing", "todo", "fixme", "string", "required",
        "optional", "hidden", "masked", "default", "your-password", "your_password", "yourpassword", "mypassword", "my-secret",
        "your-secret", "your_secret", "your-token", "your_token", "your-api-key", "your_api_key", "apikey", "api_key", "secretkey",
        "secret_key", "access_token", "accesstoken", "refresh_token", "refreshtoken", "id_token", "authorization", "bearer",
        "x-api-key", "x-auth-token", "notasecret", "not-a-secret", "insert-key-here", "replace-me", "replaceme",
    };

    private static readonly string[] UnquotedConfigExtensions = [".env", ".properties", ".ini", ".cfg", ".conf", ".toml", ".yaml", ".yml", ".npmrc"];

    public static readonly IReadOnlyList<SecretRule> All = Build();

    /// <summary>Whether a file is a configuration file whose values need no quotes (dotenv, properties, ini, YAML, .npmrc).</summary>
    public static bool IsUnquotedConfig(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..].ToLowerInvariant();
        return name.StartsWith(".env", StringComparison.Ordinal) || UnquotedConfigExtensions.Any(e => name.EndsWith(e, StringComparison.Ordinal));
    }

    /// <summary>True when the value is a placeholder, a reference or prose, not a secret.</summary>
    public static bool IsPlaceholder(string value)
    {
        var v = value.Trim();
        if (v.Length == 0 || Stopwords.Contains(v) || v.Any(char.IsWhiteSpace))
        {
            return true;
        }

        if (v.StartsWith("${", StringComparison.Ordinal) || v.StartsWith("{{", StringComparison.Ordinal) || v.StartsWith('<') || v.StartsWith("%(", StringComparison.Ordinal)
            || v.StartsWith("process.env", StringComparison.Ordinal) || v.StartsWith("env:", StringComparison.OrdinalIgnoreCase) || v.StartsWith("arn:", StringComparison.Ordinal)
            || v.StartsWith('/') || v.StartsWith("./", StringComparison.Ordinal) || v.StartsWith("http://", StringComparison.Ordinal) || v.StartsWith("https://", StringComparison.Ordinal)
            || v.StartsWith("ssm:", StringComparison.OrdinalIgnoreCase) || v.StartsWith("resolve:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (v[0] == '$' && v.Length > 1 && (char.IsAsciiLetterUpper(v[1]) || v[1] == '_'))
        {
            return true; // $VAR
        }

        var lower = v.ToLowerInvariant();
        if (lower.StartsWith("your", StringComparison.Ordinal) || lower.StartsWith("my_", StringComparison.Ordinal) || lower.Contains("example", StringComparison.Ordinal)
            || lower.Contains("xxxx", StringComparison.Ordinal) || lower.Contains("****", StringComparison.Ordinal) || lower.Contains("...", StringComparison.Ordinal)
            || lower.StartsWith("replace", StringComparison.Ordinal) || lower.StartsWith("insert", StringComparison.Ordinal) || lower.StartsWith("dummy", StringComparison.Ordinal)
            || lower.StartsWith("fake", StringComparison.Ordinal) || lower.StartsWith("sample", StringComparison.Ordinal) || lower.Contains("placeholder", StringComparison.Ordinal))
        {
            return true;
        }

        return v.Distinct().Count() <= 2; // "aaaaaaaa", "-------", "0000"
    }

    private static SecretRule[] Build()
    {
        var rules = new List<SecretRule>
        {
            new(
                "secrets/private-key",
                "Private key in the artifact",
                321,
                Severity.Critical,
                SecretRule.Compile("-----BEGIN[ A-Z0-9_]{0,40}PRIVATE KEY( BLOCK)?-----[A-Za-z0-9+/=\\s:,\\-]{64,}?-----END[ A-Z0-9_]{0,40}PRIVATE KEY( BLOCK)?-----"),
                0,
                "A private key lets whoever holds it impersonate the service (TLS, SSH, JWT signing, PGP) and decrypt what was encrypted for it.",
                "Remove the key from the source and the package, replace the key pair, and load the private key at run time from AWS Secrets Manager or KMS."),
            new(
                "secrets/aws-access-key-id",
                "AWS access key ID",
                798,
                Severity.High,
                SecretRule.Compile("\\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\\b"),
                1,
                "An access key ID identifies long-lived (AKIA) or session (ASIA) AWS credentials; next to its secret key it gives that identity's full permissions. " + LeakImpact,
                "Deactivate the key in IAM now, check CloudTrail for its use, and give the function its permissions through its execution role instead of keys.")
            {
                PublicPrefix = "AKIA",
                MinEntropy = 3.0,
                Accept = (value, _, _) => !value.EndsWith("EXAMPLE", StringComparison.Ordinal),
            },
            new(
                "secrets/aws-secret-access-key",
                "AWS secret access key",
                798,
                Severity.Critical,
                SecretRule.Compile("(?:aws[A-Za-z0-9_\\-]{0,20}(?:secret|sk)|secret_?access_?key)[A-Za-z0-9_\\-]{0,20}[\"']?\\s*(?:[:=,]|=>)\\s*[\"']?([A-Za-z0-9/+]{40})", RegexOptions.IgnoreCase),
                1,
                "The secret access key signs AWS requests: with it anyone acts as that IAM identity, from anywhere. " + LeakImpact,
                "Deactivate and delete the access key in IAM now, review CloudTrail for its use, and use the function's execution role instead of static keys.")
            {
                MinEntropy = 4.25,
                Accept = (value, match, text) => !value.Contains("EXAMPLE", StringComparison.Ordinal) && !IsBase64Char(CharAfter(text, match.Groups[1])),
            },
            new(
                "secrets/database-connection-string",
                "Database connection string with a password",
                798,
                Severity.Critical,
                SecretRule.Compile("\\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver|jdbc:[a-z]+)://([^:/\\s'\"`@]{1,100}):([^@\\s'\"`/]{1,150})@([^/\\s'\"`:?,;]{1,200})", RegexOptions.IgnoreCase),
                2,
                "The connection string gives the database's user and password, and with them every row that user can read or change.",
                "Store the password in AWS Secrets Manager (or use IAM database authentication) and build the connection at run time; rotate the leaked password.")
            {
                Accept = (value, match, _) => !IsPlaceholder(value) && !IsLocalHost(match.Groups[3].Value) && value.Length >= 3,
            },
            new(
                "secrets/jwt",
                "JSON Web Token",
                798,
                Severity.High,
                SecretRule.Compile("\\b(eyJ[A-Za-z0-9_\\-]{10,}\\.eyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{10,})"),
                1,
                "A signed token is a bearer credential: whoever presents it is treated as its subject until it expires (often never, for service tokens).",
                "Revoke the token or rotate its signing key, and obtain tokens at run time instead of embedding them.")
            {
                PublicPrefix = "eyJ",
                Accept = (value, _, _) => IsJwtHeader(value[..value.IndexOf('.', StringComparison.Ordinal)]),
            },
        };

        // Vendor tokens with fixed prefixes (SEC-VENDOR-007): the prefix alone says what kind of key it is.
        (string Id, string Title, string Pattern, string Prefix, double Entropy)[] vendors =
        [
            ("secrets/github-token", "GitHub token", "\\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})\\b", "gh", 3.0),
            ("secrets/github-token", "GitHub token", "\\b(github_pat_[A-Za-z0-9_]{82})\\b", "github_pat_", 3.0),
            ("secrets/gitlab-token", "GitLab personal access token", "\\b(glpat-[A-Za-z0-9_\\-]{20})\\b", "glpat-", 3.0),
            ("secrets/npm-token", "npm access token", "\\b(npm_[A-Za-z0-9]{36})\\b", "npm_", 3.0),
            ("secrets/slack-token", "Slack token", "\\b(xox[baprs]-[0-9]{8,13}-[A-Za-z0-9\\-]{8,})", "xox", 3.0),
            ("secrets/slack-webhook", "Slack incoming webhook URL", "(https://hooks\\.slack\\.com/services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,30})", "https://hooks.slack.com/services/", 3.0),
            ("secrets/stripe-secret-key", "Stripe live secret key", "\\b((?:sk|rk)_live_[A-Za-z0-9]{20,99})\\b", "sk_live_", 3.0),
            ("secrets/google-api-key", "Google API key", "\\b(AIza[0-9A-Za-z_\\-]{35})", "AIza", 3.0),
            ("secrets/sendgrid-api-key", "SendGrid API key", "\\b(SG\\.[A-Za-z0-9_\\-]{22}\\.[A-Za-z0-9_\\-]{43})\\b", "SG.", 3.5),
            ("secrets/twilio-api-key", "Twilio API key", "\\b(SK[0-9a-f]{32})\\b", "SK", 3.0),
            ("secrets/openai-api-key", "OpenAI API key", "\\b(sk-(?:proj-|svcacct-)?[A-Za-z0-9_\\-]{20,}T3BlbkFJ[A-Za-z0-9_\\-]{20,})", "sk-", 3.5),
            ("secrets/anthropic-api-key", "Anthropic API key", "\\b(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_\\-]{80,110})", "sk-ant-", 3.5),
            ("secrets/shopify-token", "Shopify access token", "\\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\\b", "shp", 3.0),
            ("secrets/digitalocean-token", "DigitalOcean token", "\\b(do[opr]_v1_[a-f0-9]{64})\\b", "do", 3.0),
            ("secrets/azure-storage-key", "Azure storage account key", "AccountKey=([A-Za-z0-9+/]{86}==)", "", 4.0),
            ("secrets/pypi-token", "PyPI upload token", "\\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\\-]{50,})", "pypi-", 3.5),
            ("secrets/square-token", "Square access token", "\\b((?:EAAA|sq0atp-)[A-Za-z0-9_\\-]{22,60})\\b", "sq0", 3.5),
            ("secrets/mailgun-key", "Mailgun API key", "\\b(key-[0-9a-f]{32})\\b", "key-", 3.2),
            ("secrets/telegram-bot-token", "Telegram bot token", "\\b([0-9]{8,10}:AA[0-9A-Za-z_\\-]{33})\\b", "", 3.5),
        ];
        foreach (var (id, title, pattern, prefix, entropy) in vendors)
        {
            rules.Add(new SecretRule(
                id,
                title,
                798,
                Severity.High,
                SecretRule.Compile(pattern),
                1,
                $"A {title} grants access to that service's account with the token's scope. " + LeakImpact,
                RotateKey)
            {
                PublicPrefix = prefix.Length > 0 ? prefix : null,
                MinEntropy = entropy,
                Accept = (value, _, _) => !IsPlaceholder(value),
            });
        }

        // Secret-like names given a literal (SEC-GEN-006), quoted in code and JSON, bare in dotenv/ini/YAML files.
        rules.Add(new SecretRule(
            "secrets/hardcoded-credential",
            "Hard-coded password, secret or token",
            798,
            Severity.High,
            SecretRule.Compile($"([A-Za-z0-9_$.\\-]*(?:{SecretWords})[A-Za-z0-9_$.\\-]*)[\"']?\\s*(?::=|=>|\\?\\?|\\|\\||[:=])\\s*(?:[\"'`]([^\"'`\\r\\n]{{6,150}})[\"'`])", RegexOptions.IgnoreCase),
            2,
            "A credential in the code is in every copy of the code and every build; it cannot be rotated without a release, and it is usually the same in every environment.",
            "Read it at run time from AWS Secrets Manager or SSM Parameter Store (or an environment variable filled from them), rotate the value that shipped, and keep only a reference in the code.")
        {
            Scope = SecretRuleScope.Heuristic,
            Accept = (value, match, _) => AcceptAssignment(match.Groups[1].Value, value),
        });
        rules.Add(new SecretRule(
            "secrets/hardcoded-credential",
            "Hard-coded password, secret or token",
            798,
            Severity.High,
            SecretRule.Compile($"^[ \\t]*(?:export[ \\t]+)?([A-Za-z0-9_.\\-]*(?:{SecretWords})[A-Za-z0-9_.\\-]*)[ \\t]*[=:][ \\t]*[\"']?([^\\s\"'#]{{6,150}})", RegexOptions.IgnoreCase | RegexOptions.Multiline),
            2,
            "A credential in a shipped configuration file is in every copy of the artifact; it cannot be rotated without a release.",
            "Remove the file from the package, put the value in AWS Secrets Manager or SSM Parameter Store, and rotate the value that shipped.")
        {
            Scope = SecretRuleScope.Heuristic,
            Files = IsUnquotedConfig,
            Accept = (value, match, _) => AcceptAssignment(match.Groups[1].Value, value),
        });

        // Long random-looking literals with no telling name: medium, and only in the application's own text files.
        rules.Add(new SecretRule(
            "secrets/high-entropy-string",
            "High-entropy string that looks like a key",
            798,
            Severity.Medium,
            SecretRule.Compile("[\"'`]([A-Za-z0-9+/=_\\-]{24,200})[\"'`]"),
            1,
            "A long random literal is most often a key or token; if it is one, everyone with the artifact has it.",
            "If it is a credential, move it to AWS Secrets Manager and rotate it; if it is not (a test vector, a public identifier), suppress this finding with the reason.")
        {
            Scope = SecretRuleScope.Heuristic,
            MinEntropy = 4.3,
            Accept = (value, _, _) => AcceptHighEntropy(value),
        });
        return [.. rules];
    }

    private static bool AcceptAssignment(string key, string value)
    {
        var lowerKey = key.ToLowerInvariant().Replace("-", "_", StringComparison.Ordinal);
        var compactKey = lowerKey.Replace("_", string.Empty, StringComparison.Ordinal);
        if (BenignKeyParts.Any(p => lowerKey.Contains(p, StringComparison.Ordinal) || compactKey.Contains(p.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal)))
        {
            return false;
        }

        if (IsPlaceholder(value) || value.StartsWith("sha", StringComparison.OrdinalIgnoreCase) && value.Contains('-', StringComparison.Ordinal))
        {
            return false;
        }

        var isPassword = compactKey.Contains("pass", StringComparison.Ordinal) || compactKey.Contains("pwd", StringComparison.Ordinal);
        if (isPassword)
        {
            // A human password may be plain letters; it still must not be a word the UI shows.
            return value.Length >= 6 && SecretValue.Entropy(value) >= 2.0;
        }

        // Tokens and keys: a key-like value (mixed case or digits), not a name such as "x-session-token".
        var hasDigit = value.Any(char.IsAsciiDigit);
        var mixedCase = value.Any(char.IsAsciiLetterUpper) && value.Any(char.IsAsciiLetterLower);
        return value.Length >= 10 && (hasDigit || mixedCase) && SecretValue.Entropy(value) >= 3.0 && !LooksLikeIdentifier(value);
    }

    private static bool AcceptHighEntropy(string value)
    {
        if (value.StartsWith("sha1-", StringComparison.Ordinal) || value.StartsWith("sha256-", StringComparison.Ordinal) || value.StartsWith("sha384-", StringComparison.Ordinal)
            || value.StartsWith("sha512-", StringComparison.Ordinal) || IsPlaceholder(value) || LooksLikeIdentifier(value))
        {
            return false;
        }

        // Hex digests (checksums, ETags) and UUIDs are everywhere and rarely secret on their own.
        if (value.All(char.IsAsciiHexDigit) || Guid.TryParse(value, out _))
        {
            return false;
        }

        return value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetterUpper) && value.Any(char.IsAsciiLetterLower);
    }

    /// <summary>camelCase / PascalCase / snake_case words (e.g. "GetObjectCommandInput", "X_Amz_Security_Token").</summary>
    private static bool LooksLikeIdentifier(string value)
    {
        if (value.Any(c => c is '+' or '/' or '='))
        {
            return false;
        }

        // Split into words at case changes, digits and separators; identifiers have few, long words and few digits.
        var words = 0;
        var digits = value.Count(char.IsAsciiDigit);
        for (var i = 0; i < value.Length; i++)
        {
            if (i == 0 || (char.IsAsciiLetterUpper(value[i]) && !char.IsAsciiLetterUpper(value[i - 1])) || value[i - 1] is '_' or '-' or '.')
            {
                words++;
            }
        }

        return digits <= 2 && value.Length / Math.Max(words, 1) >= 4;
    }

    private static bool IsLocalHost(string host)
    {
        var h = host.ToLowerInvariant();
        return h is "localhost" or "127.0.0.1" or "0.0.0.0" or "::1" or "[::1]" or "host" or "hostname"
            || h.StartsWith("127.", StringComparison.Ordinal)
            || h.EndsWith(".example", StringComparison.Ordinal) || h.EndsWith(".test", StringComparison.Ordinal) || h.EndsWith(".invalid", StringComparison.Ordinal)
            || h.EndsWith(".localhost", StringComparison.Ordinal)
            || h is "example.com" or "example.org" or "example.net" || h.EndsWith(".example.com", StringComparison.Ordinal);
    }

    private static bool IsJwtHeader(string segment)
    {
        try
        {
            var padded = segment.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("alg", out _);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return false;
        }
    }

    private static char CharAfter(string text, Group group)
    {
        var end = group.Index + group.Length;
        return end < text.Length ? text[end] : '\0';
    }

    private static bool IsBase64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';
}
