using Sidecar.Cli;

namespace EndToEnd.Tests.Cli;

public sealed class ArgumentsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dapr-local-cli-").FullName;

    [Fact]
    public void SingleSidecar_ReadsDaprdFlags()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "components"));
        Directory.CreateDirectory(Path.Combine(_dir, "more"));
        File.WriteAllText(Path.Combine(_dir, "config.yaml"), "");

        var (options, logLevel) = SingleSidecarArguments.Parse(
            [
                "--app-id", "orders", "--app-port", "5102", "--dapr-http-port=3502", "--dapr-grpc-port", "50102",
                "--resources-path", "components", "--components-path", "more", "--config", "config.yaml",
                "--enable-app-health-check", "--app-health-check-path", "/hz", "--app-health-probe-interval", "3",
                "--app-health-probe-timeout", "200", "--app-health-threshold", "4", "--embedded",
                "--dapr-listen-addresses", "localhost", "--log-level", "debug",
            ],
            _dir,
            name => name == "DAPR_API_TOKEN" ? "secret" : null);

        Assert.Equal(("orders", 5102, 3502, 50102), (options.AppId, options.AppPort, options.HttpPort, options.GrpcPort));
        Assert.Equal([Path.Combine(_dir, "components"), Path.Combine(_dir, "more")], options.ResourcesPaths);
        Assert.Equal(Path.Combine(_dir, "config.yaml"), options.ConfigFile);
        Assert.True(options.AppHealth.Enabled);
        Assert.Equal(("/hz", TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(200), 4),
            (options.AppHealth.Path, options.AppHealth.Interval, options.AppHealth.Timeout, options.AppHealth.Threshold));
        Assert.True(options.Embedded);
        Assert.Equal("127.0.0.1", options.ListenAddress);
        Assert.Equal(("secret", null), (options.ApiToken, options.AppApiToken));
        Assert.Equal(Path.Combine(_dir, ".dapr"), options.DataDirectory);
        Assert.Equal("debug", logLevel);
    }

    [Theory]
    [InlineData("--app-id x --bogus", "unknown flag --bogus (see --help)")]
    [InlineData("--app-id x --app-port nine", "--app-port: 'nine' is not a whole number between 1 and 65535")]
    [InlineData("--app-id x --app-port", "--app-port needs a value")]
    [InlineData("--app-port 5000", "--app-id is required (or use: run -f dapr.yaml)")]
    [InlineData("--app-id x --app-protocol ftp", "--app-protocol: 'ftp' is not one of http, https, grpc, grpcs, h2c")]
    [InlineData("--app-id x --dapr-listen-addresses 127.0.0.1,::1", "--dapr-listen-addresses: give exactly one address, got '127.0.0.1,::1'")]
    public void SingleSidecar_WhenFlagIsWrong_NamesIt(string args, string expected)
    {
        var error = Assert.Throws<UsageException>(() => SingleSidecarArguments.Parse(args.Split(' '), _dir, _ => null));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Run_FolderMeansItsDaprYaml()
    {
        var settings = RunArguments.Parse(["-f", ".", "--embedded", "--app-start-timeout", "30"], _dir);

        Assert.Equal(Path.Combine(_dir, "dapr.yaml"), settings.RunFilePath);
        Assert.True(settings.Embedded);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.AppStartTimeout);
    }

    [Fact]
    public void Run_ResourcesPath_ReplacesTheRunFilesForEveryApp()
    {
        var components = Directory.CreateDirectory(Path.Combine(_dir, "other-components")).FullName;

        var settings = RunArguments.Parse(["-f", ".", "--resources-path", "other-components"], _dir);

        Assert.Equal([components], settings.ResourcesPaths);
        Assert.Equal("--resources-path: folder /nowhere/at/all does not exist",
            Assert.Throws<UsageException>(() => RunArguments.Parse(["-f", ".", "--resources-path", "/nowhere/at/all"], _dir)).Message);
    }

    [Fact]
    public void Run_GracePeriod_DefaultsToFiveSeconds_AndCanBeSet()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), RunArguments.Parse(["-f", "."], _dir).GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), RunArguments.Parse(["-f", ".", "--grace-period", "30"], _dir).GracePeriod);
        Assert.Equal(
            "--grace-period: '-1' is not a whole number between 0 and 3600",
            Assert.Throws<UsageException>(() => RunArguments.Parse(["-f", ".", "--grace-period=-1"], _dir)).Message);
    }

    [Fact]
    public void Run_WithoutRunFile_Fails()
    {
        var error = Assert.Throws<UsageException>(() => RunArguments.Parse(["--embedded"], _dir));

        Assert.Equal("run needs -f <dapr.yaml | folder>", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
