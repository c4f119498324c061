using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// Builds the evaluator of a routing rule with CEL's precedence (<c>||</c>, <c>&amp;&amp;</c>, relations and
/// <c>in</c>, unary <c>! -</c>, member access and calls). Values are strings, doubles (JSON and literal numbers alike,
/// as daprd hands CEL decoded JSON), booleans, null, lists and JSON objects.
/// </summary>
internal sealed class RouteParser(List<RouteToken> tokens)
{
    private delegate object? Eval(JsonObject cloudEvent);

    private int _position;

    private RouteToken Current => tokens[_position];

    public Func<JsonObject, object?> ParseWhole()
    {
        var root = ParseOr();
        return Current.Kind == RouteTokenKind.End ? e => root(e) : throw new FormatException($"unexpected '{Current.Text}'");
    }

    private Eval ParseOr()
    {
        var left = ParseAnd();
        while (Accept("||"))
        {
            var (l, r) = (left, ParseAnd());
            left = e => l(e) is true || r(e) is true;
        }

        return left;
    }

    private Eval ParseAnd()
    {
        var left = ParseRelation();
        while (Accept("&&"))
        {
            var (l, r) = (left, ParseRelation());
            left = e => l(e) is true && r(e) is true;
        }

        return left;
    }

    private Eval ParseRelation()
    {
        var left = ParseUnary();
        if (Current is { Kind: RouteTokenKind.Identifier, Text: "in" })
        {
            _position++;
            var (item, container) = (left, ParseUnary());
            return e => In(item(e), container(e));
        }

        if (Current is { Kind: RouteTokenKind.Symbol, Text: "==" or "!=" or "<" or "<=" or ">" or ">=" } op)
        {
            _position++;
            var (l, r) = (left, ParseUnary());
            return op.Text switch
            {
                "==" => e => Equal(l(e), r(e)),
                "!=" => e => !Equal(l(e), r(e)),
                _ => e => Compare(l(e), r(e)) is { } order && op.Text switch
                {
                    "<" => order < 0,
                    "<=" => order <= 0,
                    ">" => order > 0,
                    _ => order >= 0,
                },
            };
        }

        return left;
    }

    private Eval ParseUnary()
    {
        if (Accept("!"))
        {
            var operand = ParseUnary();
            return e => operand(e) is bool b ? !b : null;
        }

        if (Accept("-"))
        {
            var operand = ParseUnary();
            return e => operand(e) is double d ? -d : null;
        }

        return ParsePostfix();
    }

    private Eval ParsePostfix()
    {
        var target = ParsePrimary();
        while (Accept("."))
        {
            var name = ExpectIdentifier();
            if (Accept("("))
            {
                var args = ParseArguments();
                target = Method(target, name, args);
            }
            else
            {
                var owner = target;
                target = e => Field(owner(e), name);
            }
        }

        return target;
    }

    private Eval ParsePrimary()
    {
        var token = tokens[_position++];
        switch (token.Kind)
        {
            case RouteTokenKind.String:
                return _ => token.Text;
            case RouteTokenKind.Number:
                var number = double.Parse(token.Text, CultureInfo.InvariantCulture);
                return _ => number;
            case RouteTokenKind.Symbol when token.Text == "(":
                var inner = ParseOr();
                return Accept(")") ? inner : throw new FormatException("missing ')'");
            case RouteTokenKind.Symbol when token.Text == "[":
                var items = ParseList("]");
                return e => items.Select(i => i(e)).ToList();
            case RouteTokenKind.Identifier:
                return Identifier(token.Text);
            default:
                throw new FormatException(token.Kind == RouteTokenKind.End ? "the rule ends too early" : $"unexpected '{token.Text}'");
        }
    }

    private Eval Identifier(string name)
    {
        switch (name)
        {
            case "true":
                return _ => true;
            case "false":
                return _ => false;
            case "null":
                return _ => null;
            case "event":
                return e => e;
            case "size" when Accept("("):
                var sized = Single(ParseArguments(), "size");
                return e => Size(sized(e));
            case "has" when Accept("("):
                return ParseHas();
            default:
                throw new FormatException($"'{name}' is not event, a literal, size() or has()");
        }
    }

    // has(event.a.b): whether the last field is present; the argument must be a field selection of event.
    private Eval ParseHas()
    {
        if (Current is not { Kind: RouteTokenKind.Identifier, Text: "event" })
        {
            throw new FormatException("has() takes a field selection such as has(event.data.kind)");
        }

        _position++;
        var path = new List<string>();
        while (Accept("."))
        {
            path.Add(ExpectIdentifier());
        }

        if (path.Count == 0 || !Accept(")"))
        {
            throw new FormatException("has() takes a field selection such as has(event.data.kind)");
        }

        var (parents, key) = (path[..^1], path[^1]);
        return e =>
        {
            object? node = e;
            foreach (var parent in parents)
            {
                node = Field(node, parent);
            }

            return node is JsonObject map && map.ContainsKey(key);
        };
    }

    private List<Eval> ParseArguments() => ParseList(")");

    private List<Eval> ParseList(string close)
    {
        var items = new List<Eval>();
        if (Accept(close))
        {
            return items;
        }

        do
        {
            items.Add(ParseOr());
        }
        while (Accept(","));

        return Accept(close) ? items : throw new FormatException($"missing '{close}'");
    }

    private static Eval Single(List<Eval> args, string name) =>
        args.Count == 1 ? args[0] : throw new FormatException($"{name}() takes one argument");

    private static Eval Method(Eval target, string name, List<Eval> args)
    {
        if (name == "size" && args.Count == 0)
        {
            return e => Size(target(e));
        }

        var arg = Single(args, name);
        Func<string, string, bool> test = name switch
        {
            "startsWith" => (s, a) => s.StartsWith(a, StringComparison.Ordinal),
            "endsWith" => (s, a) => s.EndsWith(a, StringComparison.Ordinal),
            "contains" => (s, a) => s.Contains(a, StringComparison.Ordinal),
            "matches" => (s, a) => Regex.IsMatch(s, a, RegexOptions.None, TimeSpan.FromSeconds(1)),
            _ => throw new FormatException($"method '{name}' is not supported (startsWith, endsWith, contains, matches, size)"),
        };
        return e => target(e) is string s && arg(e) is string a ? test(s, a) : null;
    }

    private static object? Field(object? owner, string name) => owner is JsonObject map ? FromJson(map[name]) : null;

    private static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map,
        JsonArray list => list.Select(FromJson).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => node.ToJsonString(),
    };

    private static object? Size(object? value) => value switch
    {
        string s => (double)s.Length,
        List<object?> list => (double)list.Count,
        JsonObject map => (double)map.Count,
        _ => null,
    };

    private static bool In(object? item, object? container) => container switch
    {
        List<object?> list => list.Any(candidate => Equal(item, candidate)),
        JsonObject map => item is string key && map.ContainsKey(key),
        _ => false,
    };

    private static bool Equal(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (double l, double r) => l == r,
        (string l, string r) => string.Equals(l, r, StringComparison.Ordinal),
        (bool l, bool r) => l == r,
        (List<object?> l, List<object?> r) => l.Count == r.Count && l.Zip(r).All(p => Equal(p.First, p.Second)),
        _ => false,
    };

    private static int? Compare(object? left, object? right) => (left, right) switch
    {
        (double l, double r) => l.CompareTo(r),
        (string l, string r) => string.CompareOrdinal(l, r),
        _ => null,
    };

    private string ExpectIdentifier() => Current.Kind == RouteTokenKind.Identifier
        ? tokens[_position++].Text
        : throw new FormatException($"a field or method name is expected, not '{Current.Text}'");

    private bool Accept(string symbol)
    {
        if (Current.Kind == RouteTokenKind.Symbol && Current.Text == symbol)
        {
            _position++;
            return true;
        }

        return false;
    }
}
