using Notifications.Apis;
using Notifications.Extensions;
using ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotificationsServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseNotificationsCloudEvents();
app.MapSubscribeHandler();
app.MapEventsApi();
app.MapNotificationsApi();

app.Run();

/// <summary>Entry point; public so <c>WebApplicationFactory&lt;Program&gt;</c> can host the service in tests.</summary>
public partial class Program;
