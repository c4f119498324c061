using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using EndToEnd.Tests.WholeSystem;

namespace EndToEnd.Tests.Telemetry;

/// <summary>README's contract table against the OpenAPI documents the running services serve through their sidecars.</summary>
[Collection(EmbeddedSystemCollection.Name)]
public sealed class ContractTableSystemTests(EmbeddedSystemFixture fixture)
{
    [Fact]
    public async Task ContractTable_RequestAndAnswerRecords_MatchTheServedOpenApiSchemas()
    {
        await fixture.RunningAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var rows = ContractRows();
        Assert.NotEmpty(rows);

        (JsonElement Document, string Path, string Method)? previous = null;
        var checkedRows = 0;
        foreach (var (record, where, json) in rows)
        {
            var fields = JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).Order().ToList();
            if (where.Split(' ') is [var method, var appId, var path] && method is "POST" or "PUT")
            {
                var app = SystemApp.All.Single(a => a.AppId == appId);
                var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{app.HttpPort}/v1.0/invoke/{appId}/method/openapi/v1.json"));
                var document = JsonDocument.Parse(text).RootElement;
                var operation = Operation(document, "/" + path, method);
                Assert.True(fields.SequenceEqual(Properties(document, operation.GetProperty("requestBody"))),
                    $"{record}: README has {string.Join(",", fields)}; {appId}'s document has {string.Join(",", Properties(document, operation.GetProperty("requestBody")))}");
                previous = (document, "/" + path, method);
                checkedRows++;
            }
            else if (where == "its answer" && previous is { } request)
            {
                var responses = Operation(request.Document, request.Path, request.Method).GetProperty("responses");
                var success = responses.TryGetProperty("201", out var created) ? created : responses.GetProperty("200");
                var documented = Properties(request.Document, success);
                Assert.True(fields.SequenceEqual(documented), $"{record}: README has {string.Join(",", fields)}; the document has {string.Join(",", documented)}");
                checkedRows++;
            }
        }

        Assert.Equal(4, checkedRows);
    }

    private static JsonElement Operation(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());

    private static List<string> Properties(JsonElement document, JsonElement holder)
    {
        var schema = holder.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema");
        // A nullable body is a choice between null and the record: the record is the branch with a $ref.
        foreach (var choice in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(choice, out var options)
                && options.EnumerateArray().FirstOrDefault(o => o.TryGetProperty("$ref", out _)) is { ValueKind: JsonValueKind.Object } record)
            {
                schema = record;
            }
        }

        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/').Last());
        }

        return [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order()];
    }

    /// <summary>(record, where, JSON) of each row of README's "Contracts" table, backticks removed.</summary>
    private static List<(string Record, string Where, string Json)> ContractRows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot.Path, "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("### Contracts", StringComparison.Ordinal));
        return [.. lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .Skip(2)
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(c => (c[1].Trim('`'), c[2].Replace("`", "", StringComparison.Ordinal), c[3].Trim('`')))];
    }
}
