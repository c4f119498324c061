using EndToEnd.Tests.Infrastructure;
using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

public sealed class OutputTests : IDisposable
{
    private readonly TempRunFolder _folder = new();

    [Fact]
    public void Prefixer_PadsEveryLineToTheLongestName_WithoutColourWhenRedirected()
    {
        var output = new StringWriter();
        var prefixer = new OutputPrefixer(output, colour: false, width: 7);

        prefixer.Sink("web")("first\r\nsecond");
        prefixer.WriteLine("catalog", "third");

        Assert.Equal("web     | first\nweb     | second\ncatalog | third\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Prefixer_ColoursEachNameDifferently_OnATerminal()
    {
        var output = new StringWriter();
        var prefixer = new OutputPrefixer(output, colour: true, width: 3);

        prefixer.WriteLine("one", "a");
        prefixer.WriteLine("two", "b");

        var lines = output.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\u001b[36mone | \u001b[0m", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("\u001b[35mtwo | \u001b[0m", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void LogDestination_File_WritesUnderDotDaprLogs_AndNotToTheConsole()
    {
        var appDir = _folder.Folder("shop");
        var console = new List<string>();

        string path;
        using (var log = new LogDestination("file", console.Add, appDir, "shop", "app"))
        {
            log.WriteLine("hello");
            path = log.FilePath!;
        }

        Assert.Equal(Path.Combine(appDir, ".dapr", "logs"), Path.GetDirectoryName(path));
        Assert.StartsWith("shop_app_", Path.GetFileName(path), StringComparison.Ordinal);
        Assert.Equal(["hello"], File.ReadAllLines(path));
        Assert.Empty(console);
    }

    [Fact]
    public void LogDestination_FileAndConsole_WritesBoth()
    {
        var appDir = _folder.Folder("shop");
        var console = new List<string>();

        string path;
        using (var log = new LogDestination("fileAndConsole", console.Add, appDir, "shop", "daprd"))
        {
            log.WriteLine("hello");
            path = log.FilePath!;
        }

        Assert.Equal(["hello"], File.ReadAllLines(path));
        Assert.Equal(["hello"], console);
    }

    public void Dispose() => _folder.Dispose();
}
