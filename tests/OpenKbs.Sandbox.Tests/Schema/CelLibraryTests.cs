using System.Text.Json;
using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>
/// The CEL functions Kubernetes rules use: the standard library from the Cel package and the Kubernetes libraries we
/// add. Every expression must compile and evaluate to true against the fixture.
/// </summary>
public sealed class CelLibraryTests
{
    private const string Fixture = """
        {metadata: {name: shop},
         spec: {name: Shop-Front, emoji: "a😀b", region: eu-central-1, count: 3, ratio: 0.5, enabled: true,
                port: 8080, portName: http,
                items: [b, a, c], numbers: [3, 1, 2], doubles: [1.5, 2.5],
                functions: [{name: api, memoryMb: 128}, {name: web, memoryMb: 256}],
                tags: {env: prod, team: core},
                expiresAt: '2030-01-01T00:00:00Z', timeout: 90s,
                endpoint: 'https://api.example.com:8443/v1/items?limit=10&tag=a&tag=b',
                fqdn: shop.example.com}}
        """;

    private const string SchemaTemplate = """
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations: [{rule: RULE}]
            properties:
              name: {type: string}
              nickname: {type: string}
              emoji: {type: string}
              region: {type: string}
              count: {type: integer}
              ratio: {type: number}
              enabled: {type: boolean}
              port: {x-kubernetes-int-or-string: true}
              portName: {x-kubernetes-int-or-string: true}
              items: {type: array, items: {type: string}}
              numbers: {type: array, items: {type: integer}}
              doubles: {type: array, items: {type: number}}
              functions: {type: array, items: {type: object, properties: {name: {type: string}, memoryMb: {type: integer}}}}
              tags: {type: object, additionalProperties: {type: string}}
              expiresAt: {type: string, format: date-time}
              timeout: {type: string, format: duration}
              endpoint: {type: string}
              fqdn: {type: string}
        """;

    public static TheoryData<string> TrueExpressions => new()
    {
        // macros, has, size, in
        "self.functions.all(f, f.name.matches('^[a-z]+$'))",
        "self.functions.exists(f, f.memoryMb > 200)",
        "self.functions.exists_one(f, f.name == 'api')",
        "self.functions.map(f, f.name) == ['api', 'web']",
        "self.functions.filter(f, f.memoryMb >= 256).size() == 1",
        "self.numbers.map(n, n > 1, n * 10) == [30, 20]",
        "sets.contains(self.items, ['a', 'c']) && !sets.contains(self.items, ['z']) && sets.equivalent(self.items, ['c', 'b', 'a']) && sets.intersects(self.items, ['z', 'a'])",
        "self.tags.?env.orValue('none') == 'prod' && self.tags.?missing.orValue('none') == 'none' && !self.tags.?missing.hasValue()",
        "optional.of(1).value() == 1 && !optional.none().hasValue()",
        "self.tags.all(k, k.size() > 2)",
        "has(self.name) && !has(self.nickname)",
        "size(self.items) == 3 && self.items.size() == 3",
        "self.emoji.size() == 3",
        "'a' in self.items && !('z' in self.items)",
        "'env' in self.tags && self.tags['env'] == 'prod' && self.tags.team == 'core'",
        "self.region in ['eu-central-1', 'eu-west-1']",
        // strings
        "self.name.startsWith('Shop') && self.name.endsWith('Front') && self.name.contains('p-F')",
        "self.name.lowerAscii() == 'shop-front' && self.name.upperAscii() == 'SHOP-FRONT'",
        "self.name.indexOf('-') == 4 && self.name.lastIndexOf('o') == 7 && self.name.indexOf('o', 3) == 7",
        "self.name.substring(5) == 'Front' && self.name.substring(0, 4) == 'Shop'",
        "self.name.charAt(0) == 'S' && self.emoji.charAt(1) == '😀'",
        "self.name.replace('-', ' ') == 'Shop Front' && 'aaa'.replace('a', 'b', 2) == 'bba'",
        "self.fqdn.split('.') == ['shop', 'example', 'com'] && self.fqdn.split('.', 2) == ['shop', 'example.com']",
        "'  x '.trim() == 'x'",
        "self.items.join(',') == 'b,a,c' && ['x', 'y'].join() == 'xy'",
        "self.name.matches('^[A-Z][a-z]+-[A-Z][a-z]+$')",
        // lists library
        "!self.items.isSorted() && ['a', 'b'].isSorted() && [1, 2, 2].isSorted()",
        "self.numbers.sum() == 6 && self.doubles.sum() == 4.0",
        "self.numbers.min() == 1 && self.numbers.max() == 3 && self.items.max() == 'c'",
        "self.items.indexOf('a') == 1 && self.numbers.lastIndexOf(2) == 2 && self.items.indexOf('z') == -1",
        // regex library
        "self.fqdn.find('[a-z]+') == 'shop' && self.fqdn.findAll('[a-z]+') == ['shop', 'example', 'com'] && self.fqdn.findAll('[a-z]+', 2).size() == 2",
        // url library
        "isURL(self.endpoint) && !isURL('not a url')",
        "url(self.endpoint).getScheme() == 'https' && url(self.endpoint).getHostname() == 'api.example.com'",
        "url(self.endpoint).getHost() == 'api.example.com:8443' && url(self.endpoint).getPort() == '8443'",
        "url(self.endpoint).getEscapedPath() == '/v1/items' && url(self.endpoint).getQuery()['tag'] == ['a', 'b']",
        // numbers, conversions, types
        "self.count + 1 == 4 && self.count * 2 == 6 && self.count % 2 == 1 && self.count / 2 == 1",
        "self.ratio < 1.0 && self.ratio * 2.0 == 1.0",
        "int('12') == 12 && string(self.count) == '3' && double(self.count) == 3.0",
        "type(self.name) == string && type(self.items) == list && type(self.tags) == map",
        "self.enabled && !(self.count > 5)",
        "self.count > 2 ? true : false",
        // int-or-string
        "self.port == 8080 && self.portName == 'http'",
        // timestamps and durations from formats
        "self.expiresAt > timestamp('2025-01-01T00:00:00Z')",
        "self.timeout == duration('90s') && self.timeout < duration('2m')",
        "self.expiresAt + duration('24h') > self.expiresAt",
    };

    [Theory]
    [MemberData(nameof(TrueExpressions))]
    public void Expression_compiles_and_holds(string rule)
    {
        var schema = TestJson.Schema(SchemaTemplate.Replace("RULE", JsonSerializer.Serialize(rule), StringComparison.Ordinal));

        var errors = schema.Validate(TestJson.Object(Fixture), null);

        Assert.Empty(TestJson.Messages(errors));
    }

    [Theory]
    [InlineData("self.name.size() > 100")]
    [InlineData("self.items.all(i, i == 'a')")]
    [InlineData("self.numbers.exists(n, n > 10)")]
    [InlineData("self.name.lowerAscii() == 'Shop-Front'")]
    public void False_expression_fails_the_rule(string rule)
    {
        var schema = TestJson.Schema(SchemaTemplate.Replace("RULE", JsonSerializer.Serialize(rule), StringComparison.Ordinal));

        var error = Assert.Single(schema.Validate(TestJson.Object(Fixture), null));

        Assert.Equal($"spec: Invalid value: \"object\": failed rule: {rule}", error.ToString());
    }
}
