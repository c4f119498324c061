namespace Contracts;

/// <summary>Names of the Dapr resources the services share: components, topics and CloudEvent types.</summary>
public static class DaprNames
{
    /// <summary>The state store component (<c>components/statestore.yaml</c>).</summary>
    public const string StateStore = "statestore";

    /// <summary>
    /// Catalog's own state store (<c>components/catalogstore.yaml</c>, same Redis): its transactional outbox publishes
    /// every upsert of a transaction on it to topic <c>items</c>, so no other app's writes may land there.
    /// </summary>
    public const string CatalogStore = "catalogstore";

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
