using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub.Publishing;

/// <summary>
/// Protobuf CloudEvents as daprd wraps them (components-contrib <c>pubsub/envelope.go</c> NewCloudEventsEnvelope with
/// <c>contenttype/utils.go</c> IsCloudEventProtobuf): <c>application/cloudevents+protobuf</c>, and
/// <c>application/x-protobuf</c> whose bytes decode as the CloudEvents SDK's protobuf CloudEvent, go base64 under
/// <c>data_base64</c>; <c>application/x-protobuf</c> bytes that do not decode, and <c>application/protobuf</c>, stay a
/// string under <c>data</c>. Published over HTTP and gRPC, seen by a real subscriber app.
/// </summary>
public sealed class ProtobufCloudEventTests
{
    /// <summary>A protobuf CloudEvent (cloudevents/sdk-go <c>pb.CloudEvent</c>): id, source, spec_version, type, an attribute, text_data.</summary>
    private static byte[] ProtobufCloudEventBytes()
    {
        var subjectValue = Message(o => { o.WriteTag(3, WireFormat.WireType.LengthDelimited); o.WriteString("orders"); });
        var subjectEntry = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteString("subject");
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(subjectValue);
        });
        return Message(o =>
        {
            (int Field, string Text)[] strings = [(1, "e-1"), (2, "shop"), (3, "1.0"), (4, "order.placed")];
            foreach (var (field, text) in strings)
            {
                o.WriteTag(field, WireFormat.WireType.LengthDelimited);
                o.WriteString(text);
            }

            o.WriteTag(5, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(subjectEntry);
            o.WriteTag(7, WireFormat.WireType.LengthDelimited);
            o.WriteString("hello");
        }).ToByteArray();
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(stream.ToArray());
    }

    public static TheoryData<string, bool> ContentTypes => new()
    {
        { "application/cloudevents+protobuf", true },
        { "application/x-protobuf", true },
        { "application/x-protobuf; proto=shop.Order", true },
        { "application/protobuf", false },
    };

    [Theory]
    [MemberData(nameof(ContentTypes))]
    public async Task HttpPublish_ProtobufCloudEvent_IsBase64UnderDataBase64AsDaprdDoes(string contentType, bool base64)
    {
        var bytes = ProtobufCloudEventBytes();
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var ce = await PublishAndReceiveAsync(HttpPublish(content));

        AssertData(ce, bytes, contentType, base64);
    }

    [Theory]
    [MemberData(nameof(ContentTypes))]
    public async Task GrpcPublish_ProtobufCloudEvent_IsBase64UnderDataBase64AsDaprdDoes(string contentType, bool base64)
    {
        var bytes = ProtobufCloudEventBytes();

        var ce = await PublishAndReceiveAsync((harness, topic) =>
            harness.Sidecar.Client.PublishByteEventAsync("pubsub", topic, bytes, contentType));

        AssertData(ce, bytes, contentType, base64);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' })] // an end-group marker with no group
    [InlineData(new byte[] { 0x0a, 0x02, 0xff, 0xfe })] // id (field 1) that is not UTF-8
    [InlineData(new byte[] { 0x2a, 0x03, 0x0a, 0x01, 0x61 })] // an attribute with no value
    [InlineData(new byte[] { 0x0a, 0x05, 0x61 })] // a length past the end
    public async Task XProtobuf_ThatIsNoCloudEvent_StaysAStringUnderData(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-protobuf");

        var ce = await PublishAndReceiveAsync(HttpPublish(content));

        Assert.False(ce.TryGetProperty("data_base64", out _));
        Assert.Equal(JsonValueKind.String, ce.GetProperty("data").ValueKind);
    }

    private static void AssertData(JsonElement ce, byte[] bytes, string contentType, bool base64)
    {
        Assert.Equal(contentType, ce.GetProperty("datacontenttype").GetString());
        if (base64)
        {
            Assert.Equal(Convert.ToBase64String(bytes), ce.GetProperty("data_base64").GetString());
            Assert.False(ce.TryGetProperty("data", out _));
        }
        else
        {
            Assert.Equal(JsonValueKind.String, ce.GetProperty("data").ValueKind);
            Assert.False(ce.TryGetProperty("data_base64", out _));
        }
    }

    private static Func<PubSubHarness, string, Task> HttpPublish(HttpContent content) => async (harness, topic) =>
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/pubsub/{topic}", content);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    };

    private static async Task<JsonElement> PublishAndReceiveAsync(Func<PubSubHarness, string, Task> publish)
    {
        var topic = PubSubHarness.NewName("proto");
        var inbox = new Inbox<JsonElement>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("proto"), app =>
            app.MapPost("/events", async (HttpRequest request) =>
            {
                inbox.Add(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body));
                return Results.Ok();
            }).WithTopic("pubsub", topic), useCloudEvents: false);

        await publish(harness, topic);

        return (await inbox.WaitForAsync()).Single();
    }
}
