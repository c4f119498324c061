using System.Text.Json.Serialization;

namespace Orders.Models;

/// <summary>Where an order stands; serialized by name everywhere (API, state store, workflow).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    Pending,
    AwaitingApproval,
    Completed,
    Rejected,
    Cancelled,
    Failed,
}
