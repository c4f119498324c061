namespace Deploy.Tests.Support;

internal static class ProblemAssert
{
    /// <summary>Fails with every problem listed, so one run shows all that is wrong.</summary>
    public static void None(IEnumerable<string> problems)
    {
        var lines = problems.ToList();
        if (lines.Count > 0)
        {
            Assert.Fail($"{lines.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
        }
    }

    /// <summary>Asserts one reported problem is exactly <paramref name="expected"/>.</summary>
    public static void Contains(string expected, IEnumerable<string> problems)
    {
        var lines = problems.ToList();
        Assert.True(lines.Contains(expected), $"Expected the problem{Environment.NewLine}  {expected}{Environment.NewLine}but got:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}");
    }

    /// <summary>Asserts some problem starts with <paramref name="fileAndField"/> (the file and the field it names).</summary>
    public static void Names(string fileAndField, IEnumerable<string> problems)
    {
        var lines = problems.ToList();
        Assert.True(lines.Any(l => l.StartsWith(fileAndField, StringComparison.Ordinal)), $"Expected a problem starting with{Environment.NewLine}  {fileAndField}{Environment.NewLine}but got:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}");
    }
}
