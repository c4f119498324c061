using EndToEnd.Tests.Infrastructure;
using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

public sealed class RunPlanTests : IDisposable
{
    private readonly TempRunFolder _folder = new();
    private int _nextPort = 41000;

    private RunPlan Plan(string yaml, Func<string, string?>? environment = null)
    {
        var file = RunFileLoader.Load(_folder.WriteRunFile(yaml));
        return RunPlan.Create(file, embedded: true, dataDirectory: null, environment ?? (_ => null), _ => _nextPort++);
    }

    private string ErrorOf(string yaml) => Assert.Throws<RunFileException>(() => Plan(yaml)).Message;

    [Fact]
    public void Create_AppValueWins_ElseCommonApplies()
    {
        _folder.Folder("a");
        _folder.Folder("b");

        var plan = Plan("""
            version: 1
            common:
              appProtocol: grpc
              logLevel: warn
              enableAppHealthCheck: true
              appHealthProbeInterval: 9
              appHealthProbeTimeout: 250
            apps:
              - appDirPath: ./a
                logLevel: debug
                appHealthProbeInterval: 2
              - appDirPath: ./b
            """);

        var (a, b) = (plan.Apps[0], plan.Apps[1]);
        Assert.Equal(("debug", "grpc", TimeSpan.FromSeconds(2)), (a.LogLevel, a.AppProtocol, a.AppHealth.Interval));
        Assert.Equal(("warn", "grpc", TimeSpan.FromSeconds(9)), (b.LogLevel, b.AppProtocol, b.AppHealth.Interval));
        Assert.True(a.AppHealth.Enabled);
        Assert.Equal(TimeSpan.FromMilliseconds(250), b.AppHealth.Timeout);
    }

    [Fact]
    public void Create_MergesEnv_AppWins()
    {
        _folder.Folder("a");

        var app = Plan("""
            version: 1
            common:
              env:
                SHARED: common
                ONLY_COMMON: c
            apps:
              - appDirPath: ./a
                env:
                  SHARED: app
                  ONLY_APP: x
            """).Apps[0];

        Assert.Equal(
            new Dictionary<string, string> { ["SHARED"] = "app", ["ONLY_COMMON"] = "c", ["ONLY_APP"] = "x" },
            app.Env);
    }

    [Fact]
    public void Create_ResolvesRelativePaths_CommonAgainstRunFile_AppAgainstAppDir()
    {
        var appDir = _folder.Folder("services/a");
        var commonResources = _folder.Folder("components");
        var appResources = _folder.Folder("services/a/res");
        File.WriteAllText(Path.Combine(commonResources, "config.yaml"), "");
        File.WriteAllText(Path.Combine(appDir, "own.yaml"), "");

        var plan = Plan("""
            version: 1
            common:
              resourcesPaths: ["./components"]
              configFilePath: ./components/config.yaml
            apps:
              - appDirPath: ./services/a
                resourcesPaths: ["./res"]
                configFilePath: ./own.yaml
              - appID: second
                appDirPath: ./services/a
            """);

        Assert.Equal(appDir, plan.Apps[0].AppDirPath);
        Assert.Equal([appResources], plan.Apps[0].ResourcesPaths);
        Assert.Equal(Path.Combine(appDir, "own.yaml"), plan.Apps[0].ConfigFile);
        Assert.Equal([commonResources], plan.Apps[1].ResourcesPaths);
        Assert.Equal(Path.Combine(commonResources, "config.yaml"), plan.Apps[1].ConfigFile);
        Assert.Equal(Path.Combine(_folder.Path, ".dapr"), plan.DataDirectory);
    }

    [Fact]
    public void Create_ResourcesPrecedence_AppThenDotDaprResourcesThenCommon()
    {
        _folder.Folder("components");
        _folder.Folder("own/res");
        var conventional = _folder.Folder("conventional/.dapr/resources");
        _folder.Folder("plain");

        var plan = Plan("""
            version: 1
            common:
              resourcesPaths: ["./components"]
            apps:
              - appDirPath: ./own
                resourcesPaths: ["./res"]
              - appDirPath: ./conventional
              - appDirPath: ./plain
            """);

        Assert.Equal([Path.Combine(_folder.Path, "own", "res")], plan.Apps[0].ResourcesPaths);
        Assert.Equal([conventional], plan.Apps[1].ResourcesPaths);
        Assert.Equal([Path.Combine(_folder.Path, "components")], plan.Apps[2].ResourcesPaths);
    }

    [Fact]
    public void Create_AppIdDefaultsToFolderName()
    {
        _folder.Folder("services/payments");

        var app = Plan("version: 1\napps:\n  - appDirPath: ./services/payments/\n").Apps[0];

        Assert.Equal("payments", app.AppId);
    }

    [Fact]
    public void Create_WhenAppDirPathIsMissing_NamesFileLineAndApp()
    {
        var message = ErrorOf("""
            version: 1
            apps:
              - appID: ghost
                appDirPath: ./nowhere
            """);

        Assert.Equal(
            $"{_folder.RunFilePath}:3: app 'ghost': appDirPath {Path.Combine(_folder.Path, "nowhere")} does not exist",
            message);
    }

    [Fact]
    public void Create_WhenResourcesPathIsMissing_NamesIt()
    {
        _folder.Folder("a");

        var message = ErrorOf("version: 1\napps:\n  - appDirPath: ./a\n    resourcesPaths: [\"./gone\"]\n");

        Assert.Contains($"resources path {Path.Combine(_folder.Path, "a", "gone")} does not exist", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WhenAppIdIsUsedTwice_Fails()
    {
        _folder.Folder("a");

        var message = ErrorOf("""
            version: 1
            apps:
              - appID: same
                appDirPath: ./a
              - appID: same
                appDirPath: ./a
            """);

        Assert.Equal($"{_folder.RunFilePath}:5: app id 'same' is used by more than one app", message);
    }

    [Fact]
    public void Create_WhenPortIsUsedTwice_Fails()
    {
        _folder.Folder("a");
        _folder.Folder("b");

        var message = ErrorOf("""
            version: 1
            apps:
              - appDirPath: ./a
                appPort: 5000
              - appDirPath: ./b
                daprHTTPPort: 5000
            """);

        Assert.Equal($"{_folder.RunFilePath}:5: app 'b': port 5000 is used twice in the run file", message);
    }

    [Fact]
    public void Create_WhenDaprPortsAreMissing_PicksThemAndSaysSo()
    {
        _folder.Folder("a");

        var plan = Plan("version: 1\napps:\n  - appDirPath: ./a\n    daprHTTPPort: 3600\n");

        var app = plan.Apps[0];
        Assert.Equal((3600, 41000), (app.HttpPort, app.GrpcPort));
        Assert.Equal("app 'a': no daprGRPCPort given, using 41000", Assert.Single(plan.Notices));
    }

    [Fact]
    public void ProcessEnvironment_CarriesPortsTokensAndEnv()
    {
        _folder.Folder("a");

        var app = Plan(
            """
            version: 1
            apps:
              - appID: shop
                appDirPath: ./a
                appPort: 5000
                daprHTTPPort: 3600
                daprGRPCPort: 50600
                env:
                  APP_API_TOKEN: from-run-file
                  EXTRA: yes
            """,
            name => name == "DAPR_API_TOKEN" ? "from-shell" : null).Apps[0];

        var environment = app.ProcessEnvironment();
        Assert.Equal("shop", environment["APP_ID"]);
        Assert.Equal("5000", environment["APP_PORT"]);
        Assert.Equal("3600", environment["DAPR_HTTP_PORT"]);
        Assert.Equal("50600", environment["DAPR_GRPC_PORT"]);
        Assert.Equal("http", environment["APP_PROTOCOL"]);
        Assert.Equal("from-shell", environment["DAPR_API_TOKEN"]);
        Assert.Equal("from-run-file", environment["APP_API_TOKEN"]);
        Assert.Equal("yes", environment["EXTRA"]);
        Assert.Null(environment["DAPR_HTTP_ENDPOINT"]);
        Assert.Equal(("from-shell", "from-run-file"), (app.ApiToken, app.AppApiToken));
    }

    public void Dispose() => _folder.Dispose();
}
