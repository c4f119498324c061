namespace Sidecar.Cli;

/// <summary>The <c>--help</c> text.</summary>
internal static class Usage
{
    public const string Text = """
        dapr-local: a Dapr-compatible sidecar and multi-app runner.

        Usage:
          dapr-local run -f <dapr.yaml | folder> [--embedded] [--data-dir <dir>] [--resources-path <dir>]...
                   [--app-start-timeout <seconds>] [--grace-period <seconds>] [--no-dashboard]
          dapr-local --app-id <id> [flags]           one sidecar, flags as daprd's
          dapr-local --app-id <id> [flags] -- <command...>
                                                     one sidecar and its app, like `dapr run --app-id <id> -- ...`
          dapr-local configuration set <store> <key> <value> [--version <v>] [--data-dir <dir>]
          dapr-local configuration delete <store> <key> [--data-dir <dir>]
                                                     an item of the embedded configuration store (--embedded)

        Run (multi-app, like `dapr run -f`):
          -f, --run-file <path>          the run file, or a folder holding dapr.yaml
          --embedded                     serve every state store with SQLite and every pub/sub with the built-in broker
          --data-dir <dir>               embedded data (default: .dapr beside the run file)
          --resources-path <dir>         repeatable: every app's resources come from these folders instead of the
                                         run file's (e.g. a copy of components/ pointing at another Redis)
          --app-start-timeout <seconds>  how long each app gets to listen on its port (default 180)
          --grace-period <seconds>       how long each app gets to exit after SIGTERM before SIGKILL (default 5)
          --no-dashboard                 do not start the Aspire Dashboard (started by default on 127.0.0.1:18888;
                                         an OTEL_EXPORTER_OTLP_ENDPOINT in the environment is used instead)

        Single sidecar:
          --app-id <id>                          required
          --app-port <port>                      the app's port (none: the sidecar never calls the app)
          --app-protocol <http>                  default http
          --dapr-http-port <port>                default 3500
          --dapr-grpc-port <port>                default 50001
          --dapr-listen-addresses <address>      default 127.0.0.1
          --resources-path <dir>                 repeatable; alias --components-path
          --config <file>                        a Dapr Configuration file (spec.tracing is honoured)
          --metrics-port <port>                  Prometheus /metrics, default 9090
          --enable-metrics <true|false>          default true
          --enable-app-health-check              probe the app's health
          --app-health-check-path <path>         default /healthz
          --app-health-probe-interval <seconds>  default 5
          --app-health-probe-timeout <ms>        default 500
          --app-health-threshold <n>             default 3
          --log-level <debug|info|warn|error>    default info
          --embedded                             as above
          --data-dir <dir>                       default .dapr

        Environment: DAPR_API_TOKEN (required from callers), APP_API_TOKEN (sent to the app),
        DAPR_LOCAL_NAME_REGISTRY (the file sidecars of different processes find each other in; default ~/.dapr/nr.db).
        Stops on Ctrl+C, SIGTERM, or the Shutdown API: each app gets SIGTERM, its grace period, then SIGKILL (a second signal kills
        at once). Apps never outlive dapr-local, even when it is killed. An app that exits is reported with its last
        lines and the others keep running; when every app has exited, dapr-local exits with the worst exit code.
        """;
}
