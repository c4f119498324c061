namespace Contracts;

/// <summary>Names of the Dapr resources the services share: components, topics and CloudEvent types.</summary>
public static class DaprNames
{
    /// <summary>The state store component (<c>components/statestore.yaml</c>).</summary>
    public const string StateStore = "statestore";

    /// <summary>The pub/sub component (<c>components/pubsub.yaml</c>).</summary>
    public const string PubSub = "pubsub";

    /// <summary>App ids, as in <c>dapr.yaml</c> and the Kubernetes annotations.</summary>
    public static class AppIds
    {
        public const string Catalog = "catalog";
        public const string Orders = "orders";
        public const string Payments = "payments";
        public const string Notifications = "notifications";
    }

    /// <summary>Pub/sub topics.</summary>
    public static class Topics
    {
        public const string Items = "items";
        public const string Orders = "orders";
        public const string OrdersDeadLetter = "orders-deadletter";
    }

    /// <summary>CloudEvent <c>type</c> values of the events the services publish.</summary>
    public static class EventTypes
    {
        public const string ItemUpserted = "item.upserted";
        public const string OrderCompleted = "order.completed";
        public const string OrderCancelled = "order.cancelled";
    }
}
