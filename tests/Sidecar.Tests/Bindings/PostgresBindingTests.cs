using System.Net;
using System.Text;
using System.Text.Json;
using Dapr;
using Dapr.Client;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Bindings;

/// <summary>The cluster the PostgreSQL binding tests share (each test uses tables of its own).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// <c>bindings.postgresql</c> against a real PostgreSQL the test starts: <c>exec</c> with <c>params</c> and
/// <c>rows-affected</c>, <c>query</c> answering rows as JSON arrays, <c>close</c>, and the errors, as contrib's binding.
/// </summary>
public sealed class PostgresBindingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task ExecAndQuery_OverGrpc_WithParams_AnswerRowsAsJsonArrays()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        var table = $"t_{Guid.NewGuid():N}";
        var client = sidecar.Client;

        await Exec(client, $"CREATE TABLE {table} (id int PRIMARY KEY, name text, price numeric(8,2), active boolean, doc jsonb, seen timestamptz)");
        var inserted = await Exec(client, $"INSERT INTO {table} VALUES ($1, $2, $3, $4, $5, $6), (2, NULL, 1.5, false, NULL, NULL)",
            """[1, "Keyboard", 40.25, true, "{\"k\":[1,2]}", "2024-05-06T07:08:09.5Z"]""");
        var rows = await client.InvokeBindingAsync(new BindingRequest("db", "query")
        {
            Metadata = { ["sql"] = $"SELECT id, name, price, active, doc, seen FROM {table} WHERE id >= $1 ORDER BY id", ["params"] = "[1]" },
        });

        Assert.Equal("2", inserted.Metadata["rows-affected"]);
        Assert.Equal(
            """[[1,"Keyboard",40.25,true,{"k":[1,2]},"2024-05-06T07:08:09.5Z"],[2,null,1.50,false,null,null]]""",
            Encoding.UTF8.GetString(rows.Data.Span));
        Assert.Equal("query", rows.Metadata["operation"]);
        Assert.Equal($"SELECT id, name, price, active, doc, seen FROM {table} WHERE id >= $1 ORDER BY id", rows.Metadata["sql"]);
        Assert.True(DateTimeOffset.TryParse(rows.Metadata["start-time"], out _));
        Assert.True(DateTimeOffset.TryParse(rows.Metadata["end-time"], out _));
        Assert.Matches("^[0-9.]+(ns|µs|ms|s)$", rows.Metadata["duration"]);
    }

    [Fact]
    public async Task Query_OverHttp_AnswersTheRows_AndMetadataHeaders()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.PostAsync("/v1.0/bindings/db", new StringContent(
            """{"operation":"query","metadata":{"sql":"SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' ORDER BY 1"}}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""[[1,"x"],[2,"y"]]""", await response.Content.ReadAsStringAsync());
        Assert.Equal("query", response.Headers.GetValues("metadata.operation").Single());
    }

    [Fact]
    public async Task BadSql_IsErrInvokeOutputBinding_WithPostgresMessage()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.PostAsync("/v1.0/bindings/db", new StringContent(
            """{"operation":"exec","metadata":{"sql":"INSERT INTO no_such_table VALUES (1)"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_INVOKE_OUTPUT_BINDING", error.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal(
            "error invoking output binding db: error executing query: ERROR: relation \"no_such_table\" does not exist (SQLSTATE 42P01)",
            error.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task MissingSql_AndBadParams_AreNamed()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var noSql = await Assert.ThrowsAsync<DaprException>(() => sidecar.Client.InvokeBindingAsync(new BindingRequest("db", "exec")));
        var badParams = await Assert.ThrowsAsync<DaprException>(() => sidecar.Client.InvokeBindingAsync(
            new BindingRequest("db", "exec") { Metadata = { ["sql"] = "SELECT $1", ["params"] = "{\"a\":1}" } }));

        Assert.Equal("error invoking output binding db: required metadata not set: sql", Detail(noSql));
        Assert.StartsWith("error invoking output binding db: invalid metadata property params: failed to unserialize into an array", Detail(badParams), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_ClosesForGood()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        await sidecar.Client.InvokeBindingAsync(new BindingRequest("db", "close"));
        var ex = await Assert.ThrowsAsync<DaprException>(() =>
            sidecar.Client.InvokeBindingAsync(new BindingRequest("db", "query") { Metadata = { ["sql"] = "SELECT 1" } }));

        Assert.Equal("error invoking output binding db: component is closed", Detail(ex));
    }

    [Fact]
    public async Task UnreachableDatabase_FailsTheStartInOneLineNamingFileAndType()
    {
        var port = FreePort.Next();
        using var folder = new ResourcesFolder(BindingResources.Binding("db", "bindings.postgresql",
            ("connectionString", $"host=127.0.0.1 port={port} user=postgres password=s3cret dbname=postgres connect_timeout=2")));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.StartsWith($"{Path.Combine(folder.Path, "db.yaml")}:1: component 'db' (bindings.postgresql) failed to start: unable to connect to the DB (127.0.0.1:{port}):", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    private static string Detail(DaprException ex) => Assert.IsType<Grpc.Core.RpcException>(ex.InnerException).Status.Detail;

    private static Task<BindingResponse> Exec(DaprClient client, string sql, string? parameters = null)
    {
        var request = new BindingRequest("db", "exec") { Metadata = { ["sql"] = sql } };
        if (parameters is not null)
        {
            request.Metadata["params"] = parameters;
        }

        return client.InvokeBindingAsync(request);
    }

    private ResourcesFolder Folder() =>
        new ResourcesFolder(BindingResources.Binding("db", "bindings.postgresql", ("connectionString", postgres.Server.ConnectionString)));
}
