using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapr.Client;

namespace TestDoubles;

/// <summary>
/// Service invocation over HTTP. Both ways the SDK offers end in one handler the test registers: the (obsolete in
/// 1.18) <c>InvokeMethodAsync</c> overloads, which build a request through <c>CreateInvokeMethodRequest</c>, and
/// <see cref="CreateInvokableHttpClient"/>. Answers travel as JSON so callers see what a real response deserializes to.
/// </summary>
public sealed partial class FakeDaprClient
{
    private const string InvocationObsolete = "Recommended guidance is to use a native HTTP or gRPC client for service invocation";
    private static readonly HttpRequestOptionsKey<Invocation> InvocationKey = new("fake-dapr-invocation");
    private readonly List<Invocation> _invocations = [];
    private Func<HttpMethod, string, string, object?, Task<object?>>? _invokeHandler;

    /// <summary>A snapshot of every invocation made so far, in order.</summary>
    public IReadOnlyList<Invocation> Invocations
    {
        get
        {
            lock (_gate)
            {
                return [.. _invocations];
            }
        }
    }

    /// <summary>
    /// Answers invocations with <paramref name="handler"/>: (HTTP method, app id, method name, request body) → response
    /// body (serialized as JSON with status 200; <c>null</c> is an empty 200; an <see cref="HttpResponseMessage"/> is
    /// returned as is). Throw <see cref="HttpError"/> from it to simulate an error status, or an
    /// <see cref="HttpRequestException"/> for an unreachable app.
    /// </summary>
    public void OnInvoke(Func<HttpMethod, string, string, object?, Task<object?>> handler)
    {
        lock (_gate)
        {
            _invokeHandler = handler;
        }
    }

    /// <summary>The exception the SDK throws when the invoked app answers <paramref name="status"/> (body optional, as JSON).</summary>
    public static InvocationException HttpError(string appId, string methodName, HttpStatusCode status, object? body = null)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = body is null ? new StringContent(string.Empty) : JsonContent.Create(body, body.GetType()),
        };
        return new InvocationException(appId, methodName,
            new HttpRequestException($"Response status code does not indicate success: {(int)status}.", null, status), response);
    }

    public override HttpClient CreateInvokableHttpClient(string? appId = null) =>
        new(new FakeInvocationHandler(this, appId)) { BaseAddress = appId is null ? null : new Uri($"http://{appId}/") };

    public override HttpRequestMessage CreateInvokeMethodRequest(HttpMethod httpMethod, string appId, string methodName) =>
        CreateRequest(httpMethod, appId, methodName, [], body: null);

    public override HttpRequestMessage CreateInvokeMethodRequest(HttpMethod httpMethod, string appId, string methodName,
        IReadOnlyCollection<KeyValuePair<string, string>> queryStringParameters) =>
        CreateRequest(httpMethod, appId, methodName, queryStringParameters, body: null);

    public override HttpRequestMessage CreateInvokeMethodRequest<TRequest>(HttpMethod httpMethod, string appId,
        string methodName, IReadOnlyCollection<KeyValuePair<string, string>> queryStringParameters, TRequest data) =>
        CreateRequest(httpMethod, appId, methodName, queryStringParameters, data);

    [Obsolete(InvocationObsolete)]
    public override async Task InvokeMethodAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        await SendEnsuringSuccess(request);

    [Obsolete(InvocationObsolete)]
    public override async Task<TResponse> InvokeMethodAsync<TResponse>(HttpRequestMessage request,
        CancellationToken cancellationToken = default)
    {
        using var response = await SendEnsuringSuccess(request);
        var json = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return json.Length == 0 ? default! : JsonSerializer.Deserialize<TResponse>(json, JsonSerializerOptions)!;
    }

    [Obsolete(InvocationObsolete)]
    public override Task<HttpResponseMessage> InvokeMethodWithResponseAsync(HttpRequestMessage request,
        CancellationToken cancellationToken = default) =>
        SendInvocationAsync(InvocationOf(request));

    /// <summary>Runs the registered handler for one invocation and turns its answer into an HTTP response.</summary>
    internal async Task<HttpResponseMessage> SendInvocationAsync(Invocation invocation)
    {
        Func<HttpMethod, string, string, object?, Task<object?>> handler;
        lock (_gate)
        {
            _invocations.Add(invocation);
            handler = _invokeHandler ?? throw new InvalidOperationException(
                $"FakeDaprClient: no invocation handler registered (call OnInvoke) for {invocation.Method} " +
                $"{invocation.AppId}/{invocation.MethodName}.");
        }

        try
        {
            return await handler(invocation.Method, invocation.AppId, invocation.MethodName, invocation.Body) switch
            {
                HttpResponseMessage response => response,
                null => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(string.Empty) },
                var body => new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = JsonContent.Create(body, body.GetType(), options: JsonSerializerOptions),
                },
            };
        }
        catch (InvocationException ex) when (ex.Response is not null)
        {
            return ex.Response;
        }
    }

    private async Task<HttpResponseMessage> SendEnsuringSuccess(HttpRequestMessage request)
    {
        var invocation = InvocationOf(request);
        var response = await SendInvocationAsync(invocation);
        if (!response.IsSuccessStatusCode)
        {
            // What the SDK does for a non-2xx answer.
            throw new InvocationException(invocation.AppId, invocation.MethodName,
                new HttpRequestException($"Response status code does not indicate success: {(int)response.StatusCode}.",
                    null, response.StatusCode), response);
        }

        return response;
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string appId, string methodName,
        IReadOnlyCollection<KeyValuePair<string, string>> query, object? body)
    {
        var queryString = query.Count == 0 ? string.Empty
            : "?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var request = new HttpRequestMessage(method,
            new Uri($"http://127.0.0.1:3500/v1.0/invoke/{appId}/method/{methodName.TrimStart('/')}{queryString}"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: JsonSerializerOptions);
        }

        request.Options.Set(InvocationKey, new Invocation(method, appId, methodName, body));
        return request;
    }

    private static Invocation InvocationOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(InvocationKey, out var invocation)
            ? invocation
            : throw new NotSupportedException("FakeDaprClient only sends requests built by its CreateInvokeMethodRequest overloads.");
}
