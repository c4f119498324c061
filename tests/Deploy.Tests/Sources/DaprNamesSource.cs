using System.Text.RegularExpressions;
using Deploy.Tests.Support;

namespace Deploy.Tests.Sources;

/// <summary>The component names declared at the top of <c>DaprNames</c> (StateStore, PubSub), read from the source.</summary>
internal static partial class DaprNamesSource
{
    public const string Path = "services/contracts/DaprNames.cs";

    /// <summary>Constant name to component name, e.g. <c>PubSub</c> to <c>pubsub</c> (nested classes excluded).</summary>
    public static IReadOnlyDictionary<string, string> Components(RepoFiles files) =>
        TopLevelConstant().Matches(files.Read(Path)).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);

    /// <summary>Which of those constants a source file uses as <c>DaprNames.X</c>.</summary>
    public static IEnumerable<string> UsedIn(string source, IEnumerable<string> constants) =>
        constants.Where(c => Regex.IsMatch(source, $@"\bDaprNames\.{c}\b"));

    // Four spaces of indent: members of DaprNames itself, not of its nested classes (eight).
    [GeneratedRegex("""^    public const string (?<name>\w+) = "(?<value>[^"]+)";""", RegexOptions.Multiline)]
    private static partial Regex TopLevelConstant();
}
