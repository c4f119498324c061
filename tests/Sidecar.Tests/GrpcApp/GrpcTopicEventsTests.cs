using System.Text.Json.Nodes;
using Sidecar.PubSub.Delivery;

namespace Sidecar.Tests.GrpcApp;

/// <summary>A CloudEvent as a gRPC app's TopicEventRequest, field by field.</summary>
// dapr/dapr pkg/runtime/pubsub/subscriptions.go GRPCEnvelopeFromSubscriptionMessage
public sealed class GrpcTopicEventsTests
{
    private static JsonObject Event(string contentType, JsonNode? data, string? dataBase64 = null)
    {
        var cloudEvent = new JsonObject
        {
            ["id"] = "1", ["source"] = "app", ["type"] = "com.dapr.event.sent", ["specversion"] = "1.0",
            ["datacontenttype"] = contentType, ["topic"] = "t", ["pubsubname"] = "p", ["traceparent"] = "00-x",
        };
        if (data is not null)
        {
            cloudEvent["data"] = data;
        }

        if (dataBase64 is not null)
        {
            cloudEvent["data_base64"] = dataBase64;
        }

        return cloudEvent;
    }

    [Fact]
    public void StringContentType_DataIsTheText()
    {
        var request = GrpcTopicEvents.Request(Event("text/plain", JsonValue.Create("hi")), "t", "p", "");

        Assert.Equal("hi", request.Data.ToStringUtf8());
    }

    [Fact]
    public void JsonContentType_DataIsTheJson()
    {
        var request = GrpcTopicEvents.Request(Event("application/json", new JsonObject { ["a"] = 1 }), "t", "p", "/r");

        Assert.Equal("""{"a":1}""", request.Data.ToStringUtf8());
        Assert.Equal("/r", request.Path);
    }

    [Fact]
    public void DataBase64_IsDecoded()
    {
        var request = GrpcTopicEvents.Request(Event("application/octet-stream", null, Convert.ToBase64String([1, 2, 3])), "t", "p", "");

        Assert.Equal(new byte[] { 1, 2, 3 }, request.Data.ToByteArray());
    }

    [Fact]
    public void OtherContentType_WithData_GivesNoData()
    {
        var request = GrpcTopicEvents.Request(Event("application/x-custom", JsonValue.Create("raw")), "t", "p", "");

        Assert.True(request.Data.IsEmpty);
    }

    [Fact]
    public void EnvelopeFields_AreNotRepeatedInExtensions()
    {
        var request = GrpcTopicEvents.Request(Event("application/json", new JsonObject()), "t", "p", "");

        Assert.Equal(["pubsubname", "topic", "traceparent"], request.Extensions.Fields.Keys.Order());
        Assert.Equal(("1", "app", "com.dapr.event.sent", "1.0"), (request.Id, request.Source, request.Type, request.SpecVersion));
    }
}
