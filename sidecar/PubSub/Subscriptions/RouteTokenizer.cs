using System.Text;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>The tokens of a routing rule.</summary>
internal enum RouteTokenKind
{
    Identifier,
    String,
    Number,
    Symbol,
    End,
}

internal readonly record struct RouteToken(RouteTokenKind Kind, string Text);

/// <summary>Splits a routing rule into identifiers, string and number literals and operators.</summary>
internal static class RouteTokenizer
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", ",", ".", "-"];

    public static List<RouteToken> Tokenize(string text)
    {
        var tokens = new List<RouteToken>();
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

                tokens.Add(new RouteToken(RouteTokenKind.String, value.ToString()));
                i = j + 1;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var j = i;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
                {
                    j++;
                }

                tokens.Add(new RouteToken(RouteTokenKind.Identifier, text[i..j]));
                i = j;
            }
            else if (char.IsDigit(c))
            {
                var j = i + 1;
                while (j < text.Length && (char.IsDigit(text[j]) || (text[j] == '.' && j + 1 < text.Length && char.IsDigit(text[j + 1]))))
                {
                    j++;
                }

                tokens.Add(new RouteToken(RouteTokenKind.Number, text[i..j]));
                i = j;
            }
            else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0) is { } symbol)
            {
                tokens.Add(new RouteToken(RouteTokenKind.Symbol, symbol));
                i += symbol.Length;
            }
            else
            {
                throw new FormatException($"unexpected '{c}' at position {i}");
            }
        }

        tokens.Add(new RouteToken(RouteTokenKind.End, ""));
        return tokens;
    }
}
