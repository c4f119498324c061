using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// The subset of CEL that routing rules use: comparisons of CloudEvent fields with literals
/// (<c>event.type == "order.cancelled"</c>, <c>!=</c>), combined with <c>&amp;&amp;</c>, <c>||</c>, <c>!</c> and
/// parentheses, plus <c>true</c>/<c>false</c>. Fields may be nested (<c>event.data.kind</c>); a missing field is null.
/// Anything else is refused when the subscription loads, naming the expression.
/// </summary>
public sealed class RouteExpression
{
    private readonly Func<JsonObject, bool> _evaluate;

    private RouteExpression(string text, Func<JsonObject, bool> evaluate)
    {
        Text = text;
        _evaluate = evaluate;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming it when it is outside the subset.</summary>
    public static RouteExpression Parse(string text)
    {
        try
        {
            var parser = new Parser(Tokenize(text));
            var evaluate = parser.ParseOr();
            parser.ExpectEnd();
            return new RouteExpression(text, evaluate);
        }
        catch (FormatException ex)
        {
            throw new FormatException(
                $"routing rule '{text}' is not supported: {ex.Message}. Supported: event.<field> == \"value\", !=, &&, ||, !, parentheses, true, false",
                ex);
        }
    }

    /// <summary>Whether the CloudEvent matches.</summary>
    public bool Matches(JsonObject cloudEvent) => _evaluate(cloudEvent);

    public override string ToString() => Text;

    private enum Kind { Identifier, String, Number, Symbol, End }

    private readonly record struct Token(Kind Kind, string Text);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                var j = i + 1;
                for (; j < text.Length && text[j] != c; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length)
                    {
                        j++;
                    }

                    value.Append(text[j]);
                }

                if (j >= text.Length)
                {
                    throw new FormatException("unterminated string literal");
                }

                tokens.Add(new Token(Kind.String, value.ToString()));
                i = j + 1;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var j = i;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] is '_' or '.'))
                {
                    j++;
                }

                tokens.Add(new Token(Kind.Identifier, text[i..j]));
                i = j;
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var j = i + 1;
                while (j < text.Length && (char.IsDigit(text[j]) || text[j] == '.'))
                {
                    j++;
                }

                tokens.Add(new Token(Kind.Number, text[i..j]));
                i = j;
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "==" or "!=" or "&&" or "||")
                {
                    tokens.Add(new Token(Kind.Symbol, two));
                    i += 2;
                }
                else if (c is '(' or ')' or '!')
                {
                    tokens.Add(new Token(Kind.Symbol, c.ToString()));
                    i++;
                }
                else
                {
                    throw new FormatException($"unexpected '{c}' at position {i}");
                }
            }
        }

        tokens.Add(new Token(Kind.End, ""));
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _position;

        private Token Current => tokens[_position];

        public void ExpectEnd()
        {
            if (Current.Kind != Kind.End)
            {
                throw new FormatException($"unexpected '{Current.Text}'");
            }
        }

        public Func<JsonObject, bool> ParseOr()
        {
            var left = ParseAnd();
            while (Accept("||"))
            {
                var (l, r) = (left, ParseAnd());
                left = e => l(e) || r(e);
            }

            return left;
        }

        private Func<JsonObject, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (Accept("&&"))
            {
                var (l, r) = (left, ParseUnary());
                left = e => l(e) && r(e);
            }

            return left;
        }

        private Func<JsonObject, bool> ParseUnary()
        {
            if (Accept("!"))
            {
                var operand = ParseUnary();
                return e => !operand(e);
            }

            if (Accept("("))
            {
                var inner = ParseOr();
                if (!Accept(")"))
                {
                    throw new FormatException("missing ')'");
                }

                return inner;
            }

            if (Current is { Kind: Kind.Identifier, Text: "true" or "false" } literal && !IsComparison(tokens[_position + 1]))
            {
                _position++;
                var value = literal.Text == "true";
                return _ => value;
            }

            return ParseComparison();
        }

        private Func<JsonObject, bool> ParseComparison()
        {
            var left = ParseOperand();
            if (!IsComparison(Current))
            {
                throw new FormatException($"expected == or != after '{tokens[_position - 1].Text}'");
            }

            var equals = tokens[_position++].Text == "==";
            var right = ParseOperand();
            return e => string.Equals(left(e), right(e), StringComparison.Ordinal) == equals;
        }

        private Func<JsonObject, string?> ParseOperand()
        {
            var token = tokens[_position++];
            switch (token.Kind)
            {
                case Kind.String:
                    return _ => token.Text;
                case Kind.Number:
                    var number = double.Parse(token.Text, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                    return _ => number;
                case Kind.Identifier when token.Text is "true" or "false":
                    return _ => token.Text;
                case Kind.Identifier when token.Text.StartsWith("event.", StringComparison.Ordinal):
                    var path = token.Text.Split('.')[1..];
                    return e => Lookup(e, path);
                default:
                    throw new FormatException($"'{token.Text}' is not a field of event or a literal");
            }
        }

        private static bool IsComparison(Token token) => token is { Kind: Kind.Symbol, Text: "==" or "!=" };

        private bool Accept(string symbol)
        {
            if (Current.Kind == Kind.Symbol && Current.Text == symbol)
            {
                _position++;
                return true;
            }

            return false;
        }

        private static string? Lookup(JsonObject cloudEvent, string[] path)
        {
            JsonNode? node = cloudEvent;
            foreach (var part in path)
            {
                node = (node as JsonObject)?[part];
            }

            return node switch
            {
                null => null,
                JsonValue value when value.TryGetValue<string>(out var s) => s,
                JsonValue value when value.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
                JsonValue value when value.TryGetValue<bool>(out var b) => b ? "true" : "false",
                _ => node.ToJsonString(),
            };
        }
    }
}
