namespace Sidecar.AppChannel.Resiliency;

/// <summary>The static type of a trip sub-expression (the count variables are always integers).</summary>
internal enum TripType
{
    Int,
    Double,
    Bool,
}

/// <summary>A value while evaluating a trip expression: a long, a double, a bool, or CEL's error.</summary>
internal readonly record struct TripValue(object? Value, bool IsError)
{
    public static readonly TripValue Error = new(null, true);

    public static TripValue Of(object value) => new(value, false);
}

/// <summary>One node of a parsed trip expression.</summary>
internal abstract record TripNode(TripType Type)
{
    public abstract TripValue Evaluate(BreakerCounts counts);
}

internal sealed record TripLiteral(object Value, TripType LiteralType) : TripNode(LiteralType)
{
    public override TripValue Evaluate(BreakerCounts counts) => TripValue.Of(Value);
}

internal sealed record TripVariable(string Name) : TripNode(TripType.Int)
{
    public override TripValue Evaluate(BreakerCounts counts) => TripValue.Of(counts.Get(Name));
}

internal sealed record TripNot(TripNode Operand) : TripNode(TripType.Bool)
{
    public override TripValue Evaluate(BreakerCounts counts) =>
        Operand.Evaluate(counts) is { IsError: false, Value: bool b } ? TripValue.Of(!b) : TripValue.Error;
}

internal sealed record TripNegate(TripNode Operand) : TripNode(Operand.Type)
{
    public override TripValue Evaluate(BreakerCounts counts) => Operand.Evaluate(counts).Value switch
    {
        long l when l != long.MinValue => TripValue.Of(-l),
        double d => TripValue.Of(-d),
        _ => TripValue.Error,
    };
}

/// <summary><c>&amp;&amp;</c> and <c>||</c>: either side that decides the result wins over an error on the other (CEL's commutative logic).</summary>
internal sealed record TripLogical(bool IsAnd, TripNode Left, TripNode Right) : TripNode(TripType.Bool)
{
    public override TripValue Evaluate(BreakerCounts counts)
    {
        var left = Left.Evaluate(counts);
        if (left is { IsError: false, Value: bool l } && l != IsAnd)
        {
            return TripValue.Of(l);
        }

        var right = Right.Evaluate(counts);
        if (right is { IsError: false, Value: bool r } && r != IsAnd)
        {
            return TripValue.Of(r);
        }

        return left.IsError || right.IsError ? TripValue.Error : TripValue.Of(IsAnd);
    }
}

/// <summary><c>== != &lt; &lt;= &gt; &gt;=</c>; integers and decimals compare by value, as CEL's runtime does.</summary>
internal sealed record TripComparison(string Operator, TripNode Left, TripNode Right) : TripNode(TripType.Bool)
{
    public override TripValue Evaluate(BreakerCounts counts)
    {
        var left = Left.Evaluate(counts);
        var right = Right.Evaluate(counts);
        if (left.IsError || right.IsError)
        {
            return TripValue.Error;
        }

        if (left.Value is bool lb && right.Value is bool rb)
        {
            return TripValue.Of(Operator == "==" ? lb == rb : lb != rb);
        }

        var order = left.Value is long li && right.Value is long ri ? li.CompareTo(ri)
            : Convert.ToDouble(left.Value, System.Globalization.CultureInfo.InvariantCulture)
                .CompareTo(Convert.ToDouble(right.Value, System.Globalization.CultureInfo.InvariantCulture));
        return TripValue.Of(Operator switch
        {
            "==" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        });
    }
}

/// <summary><c>+ - * / %</c> on two integers or two decimals; integer overflow and division by zero are errors.</summary>
internal sealed record TripArithmetic(char Operator, TripNode Left, TripNode Right) : TripNode(Left.Type)
{
    public override TripValue Evaluate(BreakerCounts counts)
    {
        var left = Left.Evaluate(counts);
        var right = Right.Evaluate(counts);
        if (left.IsError || right.IsError)
        {
            return TripValue.Error;
        }

        if (left.Value is double ld && right.Value is double rd)
        {
            return Operator == '%' ? TripValue.Error : TripValue.Of(Operator switch
            {
                '+' => ld + rd,
                '-' => ld - rd,
                '*' => ld * rd,
                _ => ld / rd,
            });
        }

        var (l, r) = ((long)left.Value!, (long)right.Value!);
        try
        {
            return Operator switch
            {
                '+' => TripValue.Of(checked(l + r)),
                '-' => TripValue.Of(checked(l - r)),
                '*' => TripValue.Of(checked(l * r)),
                _ when r == 0 => TripValue.Error,
                '/' => TripValue.Of(checked(l / r)),
                _ => TripValue.Of(l % r),
            };
        }
        catch (OverflowException)
        {
            return TripValue.Error;
        }
    }
}
