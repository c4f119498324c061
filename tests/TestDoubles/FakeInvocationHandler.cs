using System.Text.Json;

namespace TestDoubles;

/// <summary>
/// The message handler behind <see cref="FakeDaprClient.CreateInvokableHttpClient"/>: like the SDK's, it takes the
/// target app id from the request host and the method from the path and query.
/// </summary>
internal sealed class FakeInvocationHandler(FakeDaprClient client, string? defaultAppId) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The invocation request has no URI.");
        var appId = uri.IsAbsoluteUri ? uri.Host : defaultAppId
            ?? throw new InvalidOperationException("No app id: use an absolute URI or CreateInvokableHttpClient(appId).");
        var methodName = (uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString).TrimStart('/');

        object? body = null;
        if (request.Content is not null)
        {
            var text = await request.Content.ReadAsStringAsync(cancellationToken);
            body = string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text).RootElement.Clone();
        }

        var response = await client.SendInvocationAsync(new Invocation(request.Method, appId, methodName, body));
        response.RequestMessage = request;
        return response;
    }
}
