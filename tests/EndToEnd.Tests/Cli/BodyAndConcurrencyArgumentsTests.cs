using EndToEnd.Tests.Infrastructure;
using Sidecar.Cli;
using Sidecar.Runner;

namespace EndToEnd.Tests.Cli;

/// <summary>
/// <c>--max-body-size</c> / <c>--dapr-http-max-request-size</c> and <c>--app-max-concurrency</c> as daprd reads them
/// (dapr/dapr <c>cmd/daprd/options/options.go</c>: a resource quantity, default 4Mi, the newer flag winning) and the run
/// file keys the Dapr CLI maps to them (<c>maxBodySize</c>, older <c>daprHTTPMaxRequestSize</c> in MB,
/// <c>appMaxConcurrency</c>, below 1 unlimited).
/// </summary>
public sealed class BodyAndConcurrencyArgumentsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dapr-local-limits-").FullName;
    private readonly TempRunFolder _folder = new();

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        _folder.Dispose();
    }

    private Sidecar.Hosting.SidecarOptions Parse(params string[] args) =>
        SingleSidecarArguments.Parse(["--app-id", "a", .. args], _dir, _ => null).Options;

    [Theory]
    [InlineData(new string[0], 4L << 20)]
    [InlineData(new[] { "--max-body-size", "16Mi" }, 16L << 20)]
    [InlineData(new[] { "--max-body-size", "1k" }, 1000L)]
    [InlineData(new[] { "--max-body-size", "400" }, 400L)]
    [InlineData(new[] { "--dapr-http-max-request-size", "2" }, 2L << 20)]
    [InlineData(new[] { "--dapr-http-max-request-size", "2", "--max-body-size", "1Ki" }, 1024L)]
    public void MaxBodySize_IsAQuantity_Default4Mi(string[] args, long bytes)
    {
        Assert.Equal(bytes, Parse(args).MaxBodySize);
    }

    [Fact]
    public void MaxBodySize_NotAQuantity_NamesTheFlag()
    {
        var error = Assert.Throws<UsageException>(() => Parse("--max-body-size", "big"));

        Assert.Equal("--max-body-size: 'big' is not a size such as 4Mi, 512Ki or 1000000", error.Message);
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--app-max-concurrency", "3" }, 3)]
    [InlineData(new[] { "--app-max-concurrency", "-1" }, null)]
    public void AppMaxConcurrency_BelowOneIsUnlimited(string[] args, int? limit)
    {
        Assert.Equal(limit, Parse(args).AppMaxConcurrency);
    }

    [Fact]
    public void RunFile_MaxBodySizeAndAppMaxConcurrency_ReachTheSidecar_AppWinsOverCommon()
    {
        _folder.Folder("a");
        _folder.Folder("b");
        _folder.Folder("c");
        var file = RunFileLoader.Load(_folder.WriteRunFile("""
            version: 1
            common:
              maxBodySize: 8Mi
              appMaxConcurrency: 5
            apps:
              - appDirPath: ./a
                maxBodySize: 512Ki
                appMaxConcurrency: 1
              - appDirPath: ./b
                appMaxConcurrency: -1
              - appDirPath: ./c
                daprHTTPMaxRequestSize: 16
            """));

        var port = 42000;
        var plan = RunPlan.Create(file, embedded: true, dataDirectory: null, _ => null, _ => port++);
        var options = plan.Apps.Select(a => a.ToSidecarOptions(embedded: true, dataDirectory: _dir)).ToList();

        Assert.Equal((512L << 10, (int?)1), (options[0].MaxBodySize, options[0].AppMaxConcurrency));
        Assert.Equal((8L << 20, (int?)null), (options[1].MaxBodySize, options[1].AppMaxConcurrency));
        Assert.Equal((8L << 20, (int?)5), (options[2].MaxBodySize, options[2].AppMaxConcurrency));
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void RunFile_MaxBodySizeNotAQuantity_NamesFileAndLine()
    {
        _folder.Folder("a");

        var error = Assert.Throws<RunFileException>(() => RunFileLoader.Load(_folder.WriteRunFile("""
            version: 1
            apps:
              - appDirPath: ./a
                maxBodySize: lots
            """)));

        Assert.EndsWith(":4: expected a size such as 4Mi, 512Ki or 1000000, got 'lots'", error.Message, StringComparison.Ordinal);
    }
}
