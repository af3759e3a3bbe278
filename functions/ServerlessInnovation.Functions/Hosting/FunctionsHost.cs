using System.Globalization;
using System.Net;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>How this process runs: started by the Azure Functions host as its custom handler, or on its own.</summary>
public enum HostMode
{
    /// <summary>No Functions host: serve HTTP on <see cref="FunctionsHost.StandaloneUrl"/> and run the triggers ourselves.</summary>
    Standalone = 1,

    /// <summary>Started by the Functions host: listen on 127.0.0.1:<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>; the host delivers triggers.</summary>
    CustomHandler = 2,
}

public static class FunctionsHost
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>
    /// The host's <c>extensions.http.routePrefix</c>: empty, so that the pages can be served at <c>/</c>; every API
    /// function's route starts with <see cref="ApiPath"/> instead.
    /// </summary>
    public const string RoutePrefix = "";

    /// <summary>Where the API functions live: their function.json routes begin with <c>api/</c>.</summary>
    public const string ApiPath = "/api";

    /// <summary>Where a standalone server listens unless told otherwise: the Functions local default.</summary>
    public const string StandaloneUrl = "http://localhost:7071";

    /// <summary>Chooses the mode from the environment and configures Kestrel for it.</summary>
    public static HostMode ConfigureFunctionsHosting(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration[PortVariable];
        HostMode mode;
        if (!string.IsNullOrWhiteSpace(port))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{PortVariable} must be a TCP port number, not '{port}'.");
            }
            // The host calls http://127.0.0.1:<port>: listen exactly there, whatever else is configured.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, number));
            mode = HostMode.CustomHandler;
        }
        else
        {
            if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            {
                builder.WebHost.UseUrls(StandaloneUrl);
            }
            mode = HostMode.Standalone;
        }
        builder.Services.AddSingleton(new HostModeInfo(mode));
        builder.Services.AddSingleton(provider => FunctionManifest.Load(AppContext.BaseDirectory, provider.GetRequiredService<IConfiguration>()));
        return mode;
    }
}

/// <summary>The mode this process runs in, for services that behave differently under the Functions host.</summary>
public sealed record HostModeInfo(HostMode Mode);
