using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

public sealed class RunFileLoaderTests
{
    private const string FilePath = "/runs/dapr.yaml";

    private static RunFile Parse(string yaml) => RunFileLoader.Parse(FilePath, new StringReader(yaml));

    private static string ErrorOf(string yaml) => Assert.Throws<RunFileException>(() => Parse(yaml)).Message;

    [Fact]
    public void Parse_ReadsEveryAppSetting()
    {
        var file = Parse("""
            version: 1
            apps:
              - appID: catalog
                appDirPath: ./services/catalog
                appPort: 5101
                appProtocol: http
                daprHTTPPort: 3501
                daprGRPCPort: 50101
                command: ["dotnet", "run"]
                env:
                  A: "1"
                resourcesPaths: ["./res"]
                configFilePath: ./config.yaml
                enableAppHealthCheck: true
                appHealthCheckPath: /health
                appHealthProbeInterval: 7
                appHealthProbeTimeout: 300
                appHealthThreshold: 2
                logLevel: debug
                appLogDestination: file
                daprdLogDestination: fileAndConsole
            """);

        var app = Assert.Single(file.Apps);
        Assert.Equal("catalog", app.AppId);
        Assert.Equal("./services/catalog", app.AppDirPath);
        Assert.Equal((5101, 3501, 50101), (app.AppPort, app.DaprHttpPort, app.DaprGrpcPort));
        Assert.Equal(["dotnet", "run"], app.Command);
        Assert.Equal("1", app.Env!["A"]);
        Assert.Equal(["./res"], app.ResourcesPaths);
        Assert.Equal("./config.yaml", app.ConfigFilePath);
        Assert.True(app.EnableAppHealthCheck);
        Assert.Equal(("/health", 7, 300, 2), (app.AppHealthCheckPath, app.AppHealthProbeInterval, app.AppHealthProbeTimeout, app.AppHealthThreshold));
        Assert.Equal(("debug", "file", "fileAndConsole"), (app.LogLevel, app.AppLogDestination, app.DaprdLogDestination));
        Assert.Equal(3, app.Line);
    }

    [Fact]
    public void Parse_WhenYamlIsMalformed_NamesFileAndLine()
    {
        var message = ErrorOf("version: 1\napps:\n  - appDirPath: ./a\n    command: [\"x\"\n");

        Assert.StartsWith($"{FilePath}:", message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Parse_WhenKeyIsUnknown_NamesFileLineAndKey()
    {
        var message = ErrorOf("""
            version: 1
            apps:
              - appDirPath: ./a
                appPrt: 5000
            """);

        Assert.Equal($"{FilePath}:4: unknown key 'appPrt'", message);
    }

    [Fact]
    public void Parse_WhenKeyIsMiscased_SuggestsTheRightSpelling()
    {
        var message = ErrorOf("""
            version: 1
            apps:
              - appDirPath: ./a
                appId: catalog
            """);

        Assert.Equal($"{FilePath}:4: unknown key 'appId' (did you mean 'appID'?)", message);
    }

    [Fact]
    public void Parse_WhenAppHasNoAppDirPath_NamesTheApp()
    {
        var message = ErrorOf("""
            version: 1
            apps:
              - appID: catalog
                appPort: 5000
            """);

        Assert.Equal($"{FilePath}:3: 'appDirPath' is required for every app", message);
    }

    [Fact]
    public void Parse_WhenPortIsNotANumber_NamesFileAndLine()
    {
        var message = ErrorOf("""
            version: 1
            apps:
              - appDirPath: ./a
                daprHTTPPort: http
            """);

        Assert.Equal($"{FilePath}:4: expected a port (1-65535), got 'http'", message);
    }

    [Fact]
    public void Parse_WhenAppProtocolIsUnknown_NamesFileAndLine()
    {
        var message = ErrorOf("""
            version: 1
            common:
              appProtocol: ftp
            apps:
              - appDirPath: ./a
            """);

        Assert.Equal($"{FilePath}:3: expected one of http, https, grpc, grpcs, h2c, got 'ftp'", message);
    }

    [Fact]
    public void Parse_WhenCommonHoldsAnAppOnlyKey_SaysSo()
    {
        var message = ErrorOf("""
            version: 1
            common:
              appPort: 5000
            apps:
              - appDirPath: ./a
            """);

        Assert.Equal($"{FilePath}:3: 'appPort' is only allowed in an app, not in 'common'", message);
    }

    [Fact]
    public void Parse_WhenVersionIsMissing_Fails()
    {
        var message = ErrorOf("apps:\n  - appDirPath: ./a\n");

        Assert.Equal($"{FilePath}:1: 'version: 1' is required", message);
    }

    [Fact]
    public void Parse_WhenAppsAreMissing_Fails()
    {
        var message = ErrorOf("version: 1\n");

        Assert.Equal($"{FilePath}:1: 'apps' must list at least one app", message);
    }

    [Fact]
    public void Parse_WhenKeyIsKnownToTheDaprCliOnly_WarnsAndGoesOn()
    {
        var file = Parse("""
            version: 1
            apps:
              - appDirPath: ./a
                profilePort: 7777
            """);

        Assert.Equal($"{FilePath}:4: 'profilePort' is ignored by the local sidecar", Assert.Single(file.Warnings));
    }

    [Fact]
    public void Parse_MetricsPort_IsTheSidecarsPrometheusPort()
    {
        var file = Parse("""
            version: 1
            apps:
              - appDirPath: ./a
                metricsPort: 9091
            """);

        Assert.Equal(9091, Assert.Single(file.Apps).MetricsPort);
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void Parse_SingularResourcesPath_IsOneResourcesPath()
    {
        var file = Parse("""
            version: 1
            apps:
              - appDirPath: ./a
                resourcesPath: ./components
            """);

        Assert.Equal(["./components"], Assert.Single(file.Apps).ResourcesPaths);
    }

    [Fact]
    public void Load_WhenFileIsMissing_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "dapr.yaml");

        var error = Assert.Throws<RunFileException>(() => RunFileLoader.Load(path));

        Assert.Equal($"{path}: run file not found", error.Message);
    }
}
