namespace EndToEnd.Tests.WholeSystem;

// The services' JSON as a client reads it (field names from services/*/Models and services/contracts).

/// <summary><c>GET /items/{id}</c> of catalog.</summary>
public sealed record ItemView(string Id, string Name, decimal Price, int Stock);

/// <summary><c>GET /items</c> of catalog: one page and the cursor of the next (null on the last).</summary>
public sealed record ItemPageView(IReadOnlyList<ItemView> Items, string? NextCursor);

/// <summary>One line of an order.</summary>
public sealed record OrderLineView(string ItemId, int Quantity);

/// <summary><c>GET /orders/{id}</c> of orders.</summary>
public sealed record OrderView(
    string OrderId, string CustomerId, IReadOnlyList<OrderLineView> Lines, string Status, decimal Total, string? Reason);

/// <summary><c>GET /payments/{orderId}</c> of payments.</summary>
public sealed record PaymentView(string OrderId, string CustomerId, decimal Amount, string Status, string? Reason);

/// <summary>One entry of <c>GET /notifications</c>.</summary>
public sealed record NotificationView(string Id, string EventId, string Topic, string Type, string? OrderId, string Message);

/// <summary>The problem details fields the tests check.</summary>
public sealed record ProblemView(string? Title, int? Status, string? Detail);
