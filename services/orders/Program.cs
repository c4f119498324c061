using Orders.Apis;
using Orders.Extensions;
using ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrdersServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapOrdersApi();

app.Run();

/// <summary>Entry point; public so <c>WebApplicationFactory&lt;Program&gt;</c> can host the service in tests.</summary>
public partial class Program;
