namespace EndToEnd.Tests.WholeSystem;

/// <summary>One app of the repository's <c>dapr.yaml</c> and its fixed ports (app / Dapr HTTP / Dapr gRPC).</summary>
public sealed record SystemApp(string AppId, int AppPort, int HttpPort, int GrpcPort)
{
    public static readonly SystemApp Catalog = new("catalog", 5101, 3501, 50101);
    public static readonly SystemApp Orders = new("orders", 5102, 3502, 50102);
    public static readonly SystemApp Payments = new("payments", 5103, 3503, 50103);
    public static readonly SystemApp Notifications = new("notifications", 5104, 3504, 50104);

    public static readonly IReadOnlyList<SystemApp> All = [Catalog, Orders, Payments, Notifications];

    public IEnumerable<int> Ports => [AppPort, HttpPort, GrpcPort];
}
