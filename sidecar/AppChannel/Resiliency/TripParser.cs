using System.Globalization;

namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// Reads a trip expression with CEL's precedence (<c>||</c>, then <c>&amp;&amp;</c>, then comparisons, then
/// <c>+ -</c>, then <c>* / %</c>, then unary <c>! -</c>) and checks its types, so an expression daprd would never
/// trip on (a typo'd variable, a number where a condition belongs, <c>true + 1</c>) fails at startup instead.
/// </summary>
internal sealed class TripParser(string text)
{
    private static readonly string[] Operators = ["||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "(", ")"];

    private int _position;

    public TripNode ParseWhole()
    {
        var node = ParseOr();
        SkipSpace();
        return _position == text.Length ? node : throw Error($"unexpected '{text[_position..]}'");
    }

    private TripNode ParseOr()
    {
        var left = ParseAnd();
        while (Accept("||"))
        {
            left = new TripLogical(false, RequireBool(left, "||"), RequireBool(ParseAnd(), "||"));
        }

        return left;
    }

    private TripNode ParseAnd()
    {
        var left = ParseComparison();
        while (Accept("&&"))
        {
            left = new TripLogical(true, RequireBool(left, "&&"), RequireBool(ParseComparison(), "&&"));
        }

        return left;
    }

    private TripNode ParseComparison()
    {
        var left = ParseAdditive();
        while (AcceptAny("==", "!=", "<=", ">=", "<", ">") is { } op)
        {
            var right = ParseAdditive();
            var bothBool = left.Type == TripType.Bool && right.Type == TripType.Bool;
            var bothNumbers = left.Type != TripType.Bool && right.Type != TripType.Bool;
            if (!(bothNumbers || (bothBool && op is "==" or "!=")))
            {
                throw Error($"'{op}' cannot compare {Describe(left.Type)} with {Describe(right.Type)}");
            }

            left = new TripComparison(op, left, right);
        }

        return left;
    }

    private TripNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (AcceptAny("+", "-") is { } op)
        {
            left = Arithmetic(op[0], left, ParseMultiplicative());
        }

        return left;
    }

    private TripNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (AcceptAny("*", "/", "%") is { } op)
        {
            left = Arithmetic(op[0], left, ParseUnary());
        }

        return left;
    }

    private TripNode ParseUnary()
    {
        if (Accept("!"))
        {
            return new TripNot(RequireBool(ParseUnary(), "!"));
        }

        if (Accept("-"))
        {
            var operand = ParseUnary();
            return operand.Type == TripType.Bool ? throw Error("'-' needs a number, not a condition") : new TripNegate(operand);
        }

        return ParsePrimary();
    }

    private TripNode ParsePrimary()
    {
        SkipSpace();
        if (Accept("("))
        {
            var inner = ParseOr();
            return Accept(")") ? inner : throw Error("')' expected");
        }

        if (_position >= text.Length)
        {
            throw Error("the expression ends too early");
        }

        var start = _position;
        if (char.IsAsciiDigit(text[_position]))
        {
            while (_position < text.Length && (char.IsAsciiDigit(text[_position]) || text[_position] == '.'))
            {
                _position++;
            }

            var number = text[start.._position];
            return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
                ? new TripLiteral(integer, TripType.Int)
                : double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var real)
                    ? new TripLiteral(real, TripType.Double)
                    : throw Error($"'{number}' is not a number");
        }

        if (char.IsAsciiLetter(text[_position]) || text[_position] == '_')
        {
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            var name = text[start.._position];
            SkipSpace();
            if (_position < text.Length && text[_position] is '(' or '.')
            {
                throw Error($"functions and fields ('{name}{text[_position]}') are not supported in a trip");
            }

            return name switch
            {
                "true" => new TripLiteral(true, TripType.Bool),
                "false" => new TripLiteral(false, TripType.Bool),
                _ when BreakerCounts.VariableNames.Contains(name) => new TripVariable(name),
                _ => throw Error($"unknown variable '{name}' (a trip sees {string.Join(", ", BreakerCounts.VariableNames)})"),
            };
        }

        throw Error($"unexpected '{text[_position..]}' (supported: the count variables, numbers, + - * / %, comparisons, ! && || and parentheses)");
    }

    private TripArithmetic Arithmetic(char op, TripNode left, TripNode right) =>
        left.Type != TripType.Bool && left.Type == right.Type && !(op == '%' && left.Type == TripType.Double)
            ? new TripArithmetic(op, left, right)
            : throw Error($"'{op}' cannot combine {Describe(left.Type)} with {Describe(right.Type)}");

    private TripNode RequireBool(TripNode node, string op) =>
        node.Type == TripType.Bool ? node : throw Error($"'{op}' needs conditions on both sides, not {Describe(node.Type)}");

    private static string Describe(TripType type) => type switch
    {
        TripType.Int => "an integer",
        TripType.Double => "a decimal",
        _ => "a condition",
    };

    private string? AcceptAny(params string[] candidates)
    {
        SkipSpace();
        foreach (var candidate in candidates)
        {
            // "<" must not take the first half of "<=", nor "!" of "!=": take the longest operator written here.
            var longest = Operators.Where(o => string.CompareOrdinal(text, _position, o, 0, o.Length) == 0)
                .MaxBy(o => o.Length);
            if (longest == candidate)
            {
                _position += candidate.Length;
                return candidate;
            }
        }

        return null;
    }

    private bool Accept(string token) => AcceptAny(token) is not null;

    private void SkipSpace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }

    private FormatException Error(string what) => new($"trip '{text}': {what} (at column {_position + 1})");
}
