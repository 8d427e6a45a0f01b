namespace OpenKbs.Api.Tests.Crds;

/// <summary>The generated CEL rules accept good input and reject bad input with their precise message.</summary>
public sealed class CelRuleTests
{
    private const string Valid = "";

    /// <summary>kind, schema path, self, oldSelf (null on create), the failing message ("" when every rule passes).</summary>
    public static TheoryData<string, string, string, string?, string> Cases => new()
    {
        // ClientAccount spec: region within allowedRegions, adoptAccountId write-once.
        { "ClientAccount", "spec", """{"email":"aws+acme@example.com","region":"eu-central-1","allowedRegions":["eu-central-1"]}""", null, Valid },
        { "ClientAccount", "spec", """{"email":"a@example.com","region":"eu-west-1","allowedRegions":["eu-central-1"]}""", null, "region must be one of allowedRegions" },
        { "ClientAccount", "spec", """{"email":"a@example.com","region":"eu-west-1","allowedRegions":["eu-central-1","eu-west-1"]}""", null, Valid },
        { "ClientAccount", "spec", """{"region":"eu-central-1","allowedRegions":["eu-central-1"],"adoptAccountId":"222222222222"}""", """{"region":"eu-central-1","allowedRegions":["eu-central-1"],"adoptAccountId":"111111111111"}""", "adoptAccountId cannot be changed or removed once set" },
        { "ClientAccount", "spec", """{"region":"eu-central-1","allowedRegions":["eu-central-1"]}""", """{"region":"eu-central-1","allowedRegions":["eu-central-1"],"adoptAccountId":"111111111111"}""", "adoptAccountId cannot be changed or removed once set" },
        { "ClientAccount", "spec", """{"region":"eu-central-1","allowedRegions":["eu-central-1"],"adoptAccountId":"111111111111"}""", """{"region":"eu-central-1","allowedRegions":["eu-central-1"]}""", Valid },
        { "ClientAccount", "spec", """{"region":"eu-central-1","allowedRegions":["eu-central-1"],"adoptAccountId":"111111111111"}""", """{"region":"eu-central-1","allowedRegions":["eu-central-1"],"adoptAccountId":"111111111111"}""", Valid },

        // ClientAccount email: format and immutability.
        { "ClientAccount", "spec.email", "\"aws+acme@example.com\"", null, Valid },
        { "ClientAccount", "spec.email", "\"first.last@sub.example.co.uk\"", null, Valid },
        { "ClientAccount", "spec.email", "\"not-an-email\"", null, "email must be an email address such as aws+acme@example.com" },
        { "ClientAccount", "spec.email", "\"a@localhost\"", null, "email must be an email address such as aws+acme@example.com" },
        { "ClientAccount", "spec.email", "\"a b@example.com\"", null, "email must be an email address such as aws+acme@example.com" },
        { "ClientAccount", "spec.email", "\"b@example.com\"", "\"a@example.com\"", "email is immutable: the root email of a vended account changes only through an AccountTransfer" },
        { "ClientAccount", "spec.region", "\"eu-west-1\"", "\"eu-central-1\"", "region is immutable: the home region of a client's resources cannot move" },

        // ClientAccount organizationalUnit: path syntax, depth 5, names of at most 128 characters.
        { "ClientAccount", "spec.organizationalUnit", "\"Clients/Manufacturing\"", null, Valid },
        { "ClientAccount", "spec.organizationalUnit", "\"Clients\"", null, Valid },
        { "ClientAccount", "spec.organizationalUnit", "\"A/B/C/D/E\"", null, Valid },
        { "ClientAccount", "spec.organizationalUnit", "\"Clients/R&D Team/EU_1\"", null, Valid },
        { "ClientAccount", "spec.organizationalUnit", "\"A/B/C/D/E/F\"", null, "organizationalUnit may be at most 5 levels deep (AWS nests organizational units at most 5 levels below the root)" },
        { "ClientAccount", "spec.organizationalUnit", "\"/Clients\"", null, "organizationalUnit must be a path of OU names separated by '/', such as Clients/Manufacturing: no leading, trailing or double '/', names start with a letter or digit and hold letters, digits, spaces and . _ & + -" },
        { "ClientAccount", "spec.organizationalUnit", "\"Clients//Manufacturing\"", null, "organizationalUnit must be a path of OU names separated by '/', such as Clients/Manufacturing: no leading, trailing or double '/', names start with a letter or digit and hold letters, digits, spaces and . _ & + -" },
        { "ClientAccount", "spec.organizationalUnit", "\"Clients/\"", null, "organizationalUnit must be a path of OU names separated by '/', such as Clients/Manufacturing: no leading, trailing or double '/', names start with a letter or digit and hold letters, digits, spaces and . _ & + -" },
        { "ClientAccount", "spec.organizationalUnit", $"\"Clients/{new string('x', 129)}\"", null, "each organizational unit name in organizationalUnit may be at most 128 characters" },
        { "ClientAccount", "spec.organizationalUnit", $"\"Clients/{new string('x', 128)}\"", null, Valid },

        // ClientAccount tags: reserved prefixes.
        { "ClientAccount", "spec.tags", """{"team":"platform","cost-center":"42"}""", null, Valid },
        { "ClientAccount", "spec.tags", """{"aws:createdBy":"x"}""", null, "tag keys must be at most 128 characters and must not start with 'aws:' or 'openkbs.com/' (reserved)" },
        { "ClientAccount", "spec.tags", """{"openkbs.com/owner":"x"}""", null, "tag keys must be at most 128 characters and must not start with 'aws:' or 'openkbs.com/' (reserved)" },

        // Project spec: schedules name existing functions; source required with functions.
        { "Project", "spec", ProjectSpec(functions: """[{"name":"api"},{"name":"worker"}]""", schedules: """[{"name":"nightly","function":"worker"}]"""), null, Valid },
        { "Project", "spec", ProjectSpec(functions: """[{"name":"api"}]""", schedules: """[{"name":"nightly","function":"missing"}]"""), null, "every schedule's function must be the name of a function in spec.functions" },
        { "Project", "spec", ProjectSpec(functions: null, schedules: """[{"name":"nightly","function":"api"}]"""), null, "every schedule's function must be the name of a function in spec.functions" },
        { "Project", "spec", """{"version":"1.0.0","functions":[{"name":"api"}]}""", null, "source is required when the project has functions" },
        { "Project", "spec", """{"version":"1.0.0","functions":[]}""", null, Valid },
        { "Project", "spec", """{"version":"1.0.0"}""", null, Valid },

        // Project lists: unique names.
        { "Project", "spec.functions", """[{"name":"api"},{"name":"worker"}]""", null, Valid },
        { "Project", "spec.functions", """[{"name":"api"},{"name":"api"}]""", null, "function names must be unique" },
        { "Project", "spec.schedules", """[{"name":"a","function":"x"},{"name":"a","function":"y"}]""", null, "schedule names must be unique" },
        { "Project", "spec.apiKeys", """[{"name":"partner"},{"name":"partner"}]""", null, "API key names must be unique" },
        { "Project", "spec.apiKeys", """[{"name":"partner"},{"name":"mobile"}]""", null, Valid },
        { "Project", "spec.clientAccountRef", """{"name":"other"}""", """{"name":"acme"}""", "clientAccountRef is immutable: a project cannot move to another client's account" },

        // Project access: enabled needs API keys; MQTT needs access.
        { "Project", "spec", """{"version":"1.0.0","access":{"tokenLifetimeSeconds":600}}""", null, Valid },
        { "Project", "spec", """{"version":"1.0.0","access":{"enabled":false,"mqtt":{"enabled":false}}}""", null, Valid },
        { "Project", "spec", """{"version":"1.0.0","apiKeys":[{"name":"partner"}],"access":{"enabled":true,"mqtt":{"enabled":true}}}""", null, Valid },
        { "Project", "spec", """{"version":"1.0.0","apiKeys":[{"name":"partner"}],"access":{"mqtt":{"enabled":true}}}""", null, Valid },
        { "Project", "spec", """{"version":"1.0.0","access":{"enabled":true}}""", null, "access.enabled: true needs at least one API key in spec.apiKeys" },
        { "Project", "spec", """{"version":"1.0.0","apiKeys":[],"access":{"enabled":true}}""", null, "access.enabled: true needs at least one API key in spec.apiKeys" },
        { "Project", "spec", """{"version":"1.0.0","access":{"mqtt":{"enabled":true}}}""", null, AccessForMqtt },
        { "Project", "spec", """{"version":"1.0.0","apiKeys":[{"name":"partner"}],"access":{"enabled":false,"mqtt":{"enabled":true}}}""", null, AccessForMqtt },

        // Project database: minCapacity <= maxCapacity.
        { "Project", "spec.database", """{"enabled":true,"minCapacity":0.5,"maxCapacity":2}""", null, Valid },
        { "Project", "spec.database", """{"enabled":true,"minCapacity":2,"maxCapacity":2}""", null, Valid },
        { "Project", "spec.database", """{"enabled":true,"minCapacity":4,"maxCapacity":2}""", null, "minCapacity must not exceed maxCapacity" },
        { "Project", "spec.database", """{"enabled":true,"minCapacity":4}""", null, Valid },

        // Project CDN: aliases and the certificate come together (TLS 1.2+ needs both).
        { "Project", "spec.cdn", """{"enabled":false}""", null, Valid },
        { "Project", "spec.cdn", """{"aliases":[],"priceClass":"PriceClass_100"}""", null, Valid },
        { "Project", "spec.cdn", """{"enabled":true}""", null, CdnNeedsCertificate },
        { "Project", "spec.cdn", """{"enabled":true,"aliases":[],"priceClass":"PriceClass_100"}""", null, CdnNeedsCertificate },
        { "Project", "spec.cdn", """{"enabled":true,"aliases":["shop.example.com"],"acmCertificateArn":"arn:aws:acm:us-east-1:111122223333:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45"}""", null, Valid },
        { "Project", "spec.cdn", """{"enabled":false,"aliases":["shop.example.com"]}""", null, CdnCertificate },
        { "Project", "spec.cdn", """{"enabled":true,"acmCertificateArn":"arn:aws:acm:us-east-1:111122223333:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45"}""", null, CdnCertificate },

        // Schedule expressions: EventBridge Scheduler's rate(), six-field cron() and at().
        { "Project", "spec.schedules[].expression", "\"rate(1 minute)\"", null, Valid },
        { "Project", "spec.schedules[].expression", "\"rate(5 minutes)\"", null, Valid },
        { "Project", "spec.schedules[].expression", "\"rate(12 hours)\"", null, Valid },
        { "Project", "spec.schedules[].expression", "\"rate(1 day)\"", null, Valid },
        { "Project", "spec.schedules[].expression", "\"cron(0 8 * * ? *)\"", null, Valid },
        { "Project", "spec.schedules[].expression", "\"cron(15 10 ? * MON-FRI *)\"", null, Valid },
        { "Project", "spec.schedules[].expression", "\"cron(0/5 8-17 L * ? 2027)\"", null, Valid },
        { "Project", "spec.schedules[].expression", "\"at(2026-12-24T18:00:00)\"", null, Valid },
        { "Project", "spec.schedules[].expression", "\"rate(1 minutes)\"", null, ScheduleSyntax },
        { "Project", "spec.schedules[].expression", "\"rate(5 minute)\"", null, ScheduleSyntax },
        { "Project", "spec.schedules[].expression", "\"rate(0 minutes)\"", null, ScheduleSyntax },
        { "Project", "spec.schedules[].expression", "\"rate(5 weeks)\"", null, ScheduleSyntax },
        { "Project", "spec.schedules[].expression", "\"every 5 minutes\"", null, ScheduleSyntax },
        { "Project", "spec.schedules[].expression", "\"at(2026-12-24)\"", null, ScheduleSyntax },
        { "Project", "spec.schedules[].expression", "\"cron(0 8 * * *)\"", null, ScheduleSyntax + "|" + CronQuestionMark },
        { "Project", "spec.schedules[].expression", "\"cron(0 8 * * MON *)\"", null, CronQuestionMark },
        { "Project", "spec.schedules[].expression", "\"cron(0 8 1 * MON *)\"", null, CronQuestionMark },

        // Function environment: reserved names.
        { "Project", "spec.functions[].environment", """{"LOG_LEVEL":"info","AWS_NODEJS_CONNECTION_REUSE_ENABLED":"1"}""", null, Valid },
        { "Project", "spec.functions[].environment", """{"AWS_REGION":"eu-west-1"}""", null, ReservedEnvironment },
        { "Project", "spec.functions[].environment", """{"AWS_SECRET_ACCESS_KEY":"x"}""", null, ReservedEnvironment },
        { "Project", "spec.functions[].environment", """{"AWS_LAMBDA_FUNCTION_NAME":"x"}""", null, ReservedEnvironment },
        { "Project", "spec.functions[].environment", """{"OPENKBS_API_KEYS":"x"}""", null, ReservedEnvironment },
        { "Project", "spec.functions[].environment", """{"_HANDLER":"x"}""", null, ReservedEnvironment },

        // Suppressions: a fingerprint or a rule (a path only with a rule), in an AuditRun and in a Project's audit policy.
        { "AuditRun", "spec.suppressions[]", """{"fingerprint":"0123456789abcdef","reason":"accepted","expires":"2027-01-31"}""", null, Valid },
        { "AuditRun", "spec.suppressions[]", """{"ruleId":"js/sql-injection","path":"legacy/**","reason":"accepted","expires":"2027-01-31"}""", null, Valid },
        { "AuditRun", "spec.suppressions[]", """{"ruleId":"js/sql-injection","reason":"accepted","expires":"2027-01-31"}""", null, Valid },
        { "AuditRun", "spec.suppressions[]", """{"reason":"accepted","expires":"2027-01-31"}""", null, "a suppression names either a fingerprint or a ruleId (with an optional path), not both" },
        { "AuditRun", "spec.suppressions[]", """{"fingerprint":"0123456789abcdef","ruleId":"js/sql-injection","reason":"accepted","expires":"2027-01-31"}""", null, "a suppression names either a fingerprint or a ruleId (with an optional path), not both" },
        { "AuditRun", "spec.suppressions[]", """{"fingerprint":"0123456789abcdef","path":"a.js","reason":"accepted","expires":"2027-01-31"}""", null, "path narrows a ruleId: a suppression with a path needs a ruleId" },
        { "Project", "spec.audit.suppressions[]", """{"reason":"accepted","expires":"2027-01-31"}""", null, "a suppression names either a fingerprint or a ruleId (with an optional path), not both" },
        { "Project", "spec.audit.suppressions[]", """{"ruleId":"js/xss","path":"a.js","reason":"accepted","expires":"2027-01-31"}""", null, Valid },

        // AuditRun: the whole spec is immutable.
        { "AuditRun", "spec", """{"projectRef":{"name":"shop"},"failOn":"critical"}""", """{"projectRef":{"name":"shop"},"failOn":"critical"}""", Valid },
        { "AuditRun", "spec", """{"projectRef":{"name":"shop"},"failOn":"high"}""", """{"projectRef":{"name":"shop"},"failOn":"critical"}""", "AuditRun spec is immutable: create a new AuditRun to audit again" },

        // AccountTransfer.
        { "AccountTransfer", "spec.newRootEmail", "\"it@client.example\"", null, Valid },
        { "AccountTransfer", "spec.newRootEmail", "\"client.example\"", null, "newRootEmail must be an email address such as it@client.example" },
        { "AccountTransfer", "spec.clientAccountRef", """{"name":"other"}""", """{"name":"acme"}""", "clientAccountRef is immutable: create another AccountTransfer for another account" },
        { "AccountTransfer", "spec.clientAccountRef", """{"name":"acme"}""", """{"name":"acme"}""", Valid },

        // AccountTransfer confirmations: the approval and standalone readiness only after the steps before them.
        { "AccountTransfer", "spec.confirmations", """{}""", null, Valid },
        { "AccountTransfer", "spec.confirmations", """{"passwordSet":true}""", null, Valid },
        { "AccountTransfer", "spec.confirmations", """{"passwordSet":true,"standaloneReady":true}""", null, Valid },
        { "AccountTransfer", "spec.confirmations", """{"passwordSet":true,"standaloneReady":true,"removalApproved":true}""", null, Valid },
        { "AccountTransfer", "spec.confirmations", """{"passwordSet":true,"standaloneReady":true,"removalApproved":false}""", """{"passwordSet":true,"standaloneReady":true,"removalApproved":true}""", Valid },
        { "AccountTransfer", "spec.confirmations", """{"passwordSet":false,"standaloneReady":false,"removalApproved":false}""", null, Valid },
        { "AccountTransfer", "spec.confirmations", """{"standaloneReady":true}""", null, StandaloneNeedsPassword },
        { "AccountTransfer", "spec.confirmations", """{"passwordSet":false,"standaloneReady":true}""", null, StandaloneNeedsPassword },
        { "AccountTransfer", "spec.confirmations", """{"removalApproved":true}""", null, ApprovalNeedsConfirmations },
        { "AccountTransfer", "spec.confirmations", """{"passwordSet":true,"removalApproved":true}""", null, ApprovalNeedsConfirmations },
        { "AccountTransfer", "spec.confirmations", """{"standaloneReady":true,"removalApproved":true}""", null, StandaloneNeedsPassword + "|" + ApprovalNeedsConfirmations },
    };

    private const string StandaloneNeedsPassword =
        "standaloneReady needs passwordSet: the client confirms that the account can stand alone signed in as the new root user, so the root password is set first";

    private const string ApprovalNeedsConfirmations =
        "removalApproved needs passwordSet and standaloneReady: the removal from the organization is irreversible, approve it only once the client has set the root password and confirmed that the account can stand alone";

    private const string AccessForMqtt = "access.mqtt.enabled needs access: set access.enabled or give at least one API key";

    private const string CdnNeedsCertificate = "an enabled CDN needs aliases and acmCertificateArn: CloudFront's default certificate allows TLSv1, and projects require TLSv1.2_2021";

    private const string CdnCertificate = "aliases and acmCertificateArn must be given together: the certificate must cover the aliases";

    private const string ScheduleSyntax =
        "expression must be rate(VALUE UNIT) such as rate(1 hour) or rate(5 minutes), cron(minutes hours day-of-month month day-of-week year) with six fields such as cron(0 8 * * ? *), or at(yyyy-mm-ddThh:mm:ss)";

    private const string CronQuestionMark =
        "in a cron expression either day-of-month or day-of-week must be '?', such as cron(0 8 * * ? *) or cron(0 8 ? * MON-FRI *)";

    private const string ReservedEnvironment =
        "environment variable names must be at most 128 characters and must not be reserved: OPENKBS_*, AWS_LAMBDA_*, LAMBDA_*, names starting with '_', AWS_REGION, AWS_DEFAULT_REGION, AWS_EXECUTION_ENV and AWS credentials";

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rules_accept_valid_and_reject_invalid_input_with_a_precise_message(
        string kind, string path, string self, string? oldSelf, string expected)
    {
        var failures = CelRules.Failures(Crds.Node(kind, path), self, oldSelf);

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), failures);
    }

    [Fact]
    public void Every_rule_has_a_message_and_every_rule_is_exercised_by_a_case()
    {
        var exercised = Cases.Select(c => ((string)c[0], (string)c[1])).ToHashSet();
        var nodesWithRules = CrdKinds.All
            .SelectMany(kind => Crds.Walk(Crds.Root(kind)).Select(n => (Kind: kind, n.Path, n.Node)))
            .Where(n => n.Node.XKubernetesValidations is { Count: > 0 })
            .ToList();

        Assert.All(nodesWithRules.SelectMany(n => n.Node.XKubernetesValidations), r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        Assert.Empty(nodesWithRules.Where(n => !exercised.Contains((n.Kind, n.Path))).Select(n => $"{n.Kind} {n.Path}"));
    }

    private static string ProjectSpec(string? functions, string? schedules) =>
        "{\"version\":\"1.0.0\",\"source\":{\"s3\":{\"bucket\":\"b\",\"key\":\"k\"},\"sha256\":\"" + new string('a', 64) + "\"}" +
        (functions is null ? string.Empty : ",\"functions\":" + functions) +
        (schedules is null ? string.Empty : ",\"schedules\":" + schedules) + "}";
}
