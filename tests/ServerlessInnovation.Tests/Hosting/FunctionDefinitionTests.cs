using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Functions.Pages;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>
/// host.json and every function.json carry what the Functions host requires (the contract and the SchemaStore
/// schemas, written down here as assertions), and the function.json files and the handler's routes match one to one.
/// </summary>
public sealed partial class FunctionDefinitionTests
{
    private static readonly string[] TopLevelKeys = ["bindings", "disabled", "retry", "scriptFile", "entryPoint", "excluded", "configurationSource"];
    private static readonly string[] HttpMethods = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

    public static TheoryData<string> FunctionFolders()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.FunctionsProject, "function.json", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                                 !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            data.Add(Path.GetFileName(Path.GetDirectoryName(file))!);
        }
        return data;
    }

    [Fact]
    public void FunctionJsonFilesSitDirectlyInTheHandlerProjectAsTheHostExpectsInThePackage()
    {
        var all = Directory.EnumerateFiles(RepositoryPaths.FunctionsProject, "function.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(all);
        Assert.All(all, f => Assert.Equal(RepositoryPaths.FunctionsProject, Path.GetDirectoryName(Path.GetDirectoryName(f))));
        Assert.Equal(
            FunctionManifest.Load(RepositoryPaths.FunctionsProject).Functions.Select(f => f.Name),
            FunctionManifest.Load(RepositoryPaths.FunctionsOutput).Functions.Select(f => f.Name));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public void EachFunctionJsonHasWhatTheHostRequires(string folder)
    {
        Assert.Matches(FunctionName(), folder);
        Assert.NotEqual("host", folder, StringComparer.OrdinalIgnoreCase);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.FunctionsProject, folder, "function.json")));
        var root = json.RootElement;

        Assert.All(root.EnumerateObject(), p => Assert.Contains(p.Name, TopLevelKeys));
        var bindings = root.GetProperty("bindings").EnumerateArray().ToList();
        Assert.NotEmpty(bindings);
        Assert.All(bindings, b =>
        {
            Assert.False(string.IsNullOrWhiteSpace(b.GetProperty("type").GetString()));
            Assert.Contains(b.GetProperty("direction").GetString(), new[] { "in", "out", "inout" });
            Assert.Matches(BindingName(), b.GetProperty("name").GetString()!);
        });
        var names = bindings.Select(b => b.GetProperty("name").GetString()!.ToUpperInvariant()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        var trigger = Assert.Single(bindings, b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("in", trigger.GetProperty("direction").GetString());

        switch (trigger.GetProperty("type").GetString())
        {
            case "httpTrigger":
                Assert.Contains(trigger.GetProperty("authLevel").GetString(), new[] { "anonymous", "function", "admin" });
                Assert.All(trigger.GetProperty("methods").EnumerateArray(), m => Assert.Contains(m.GetString(), HttpMethods));
                var route = trigger.GetProperty("route").GetString()!;
                Assert.False(route.StartsWith('/'), "routes are relative to the (empty) routePrefix");
                Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase),
                    "the host keeps /admin and /runtime for itself");
                // Forwarding and proxying need exactly one input (the trigger) and one http output.
                Assert.Equal(2, bindings.Count);
                var output = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "out");
                Assert.Equal("http", output.GetProperty("type").GetString());
                break;
            case "queueTrigger":
                Assert.Matches(QueueName(), ResolveSettings(trigger.GetProperty("queueName").GetString()!));
                Assert.False(string.IsNullOrWhiteSpace(trigger.GetProperty("connection").GetString()));
                break;
            case "timerTrigger":
                Assert.Equal(6, ResolveSettings(trigger.GetProperty("schedule").GetString()!).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
                break;
            default:
                Assert.Fail("A trigger this app does not serve: " + trigger.GetProperty("type").GetString());
                break;
        }
    }

    [Fact]
    public async Task EveryFunctionJsonHasItsRouteInTheHandlerAndEveryRouteItsFunctionJson()
    {
        var azurite = await Azurite.Shared;
        await using var factory = new ApiFactory(azurite.ConnectionString);
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(FunctionsHost.ApiPath + "/", StringComparison.Ordinal) == true)
            .ToList();
        var manifest = FunctionManifest.Load(RepositoryPaths.FunctionsProject);
        // The pages are static files, served by middleware rather than an endpoint (their own tests cover them).
        var httpFunctions = manifest.Functions.Where(f => f.IsHttp && f.Name != PagesFunction.Name).ToList();

        foreach (var function in httpFunctions)
        {
            var endpoint = Assert.Single(endpoints, e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == function.Name);
            Assert.Equal("/" + function.Trigger.Route, endpoint.RoutePattern.RawText);
            Assert.Equal(
                function.Trigger.Methods!.Select(m => m.ToUpperInvariant()).Order(),
                endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Order());
        }
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            Assert.True(name is not null && manifest.TryGet(name, out var function) && function.IsHttp,
                $"{endpoint.RoutePattern.RawText} has no function.json (its endpoint name must be the function folder's name)");
        }
        Assert.Equal(httpFunctions.Count, endpoints.Count);
    }

    /// <summary>
    /// With an empty route prefix the API functions claim <c>api/…</c> and the pages function every other path (the
    /// host, like ASP.NET Core routing, prefers literal segments over a catch-all), so the pages are served at <c>/</c>.
    /// </summary>
    [Fact]
    public void ThePagesFunctionTakesEveryPathNoApiFunctionClaims()
    {
        var manifest = FunctionManifest.Load(RepositoryPaths.FunctionsProject);

        Assert.True(manifest.TryGet(PagesFunction.Name, out var pages));
        Assert.Equal("{*path}", pages.Trigger.Route);
        Assert.Equal("anonymous", pages.Trigger.AuthLevel);
        Assert.Equal(["get", "head"], pages.Trigger.Methods!.Order());
        Assert.All(manifest.Functions.Where(f => f.IsHttp && f.Name != PagesFunction.Name),
            f => Assert.StartsWith("api/", f.Trigger.Route, StringComparison.Ordinal));
    }

    /// <summary>
    /// The gate of the bureau functions is the handler's, in Azure and standalone alike: every endpoint under
    /// <c>/api/bureau</c> demands a bureau (App Service Authentication's app role, or a bureau key). The host's level stays
    /// anonymous on purpose: the bureau pages call with a browser session, which can carry no function key (the host does
    /// not count an App Service Authentication sign-in as one), so a function key would lock the pages out.
    /// </summary>
    [Fact]
    public async Task EveryBureauEndpointDemandsABureauWhateverTheHostLevel()
    {
        var manifest = FunctionManifest.Load(RepositoryPaths.FunctionsProject);
        var bureauFunctions = manifest.Functions.Where(f => f.IsHttp && f.Trigger.Route!.StartsWith("api/bureau/", StringComparison.Ordinal)).ToList();
        var azurite = await Azurite.Shared;
        await using var factory = new ApiFactory(azurite.ConnectionString);
        var bureauEndpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(FunctionsHost.ApiPath + "/bureau", StringComparison.Ordinal) == true)
            .ToList();

        Assert.NotEmpty(bureauFunctions);
        Assert.All(bureauFunctions, f => Assert.True(f.Trigger.AuthLevel == "anonymous",
            $"{f.Name}: a function key would shut out the bureau pages' signed-in sessions; the handler is the gate"));
        Assert.NotEmpty(bureauEndpoints);
        Assert.All(bureauEndpoints, endpoint =>
        {
            Assert.Contains(endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => a.Policy == BureauAccess.Policy);
            Assert.Empty(endpoint.Metadata.GetOrderedMetadata<IAllowAnonymous>());
        });
    }

    [Fact]
    public void HostJsonConfiguresTheCustomHandlerAsTheHostRequires()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var host = json.RootElement;

        Assert.Equal("2.0", host.GetProperty("version").GetString());

        var handler = host.GetProperty("customHandler");
        Assert.All(handler.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "description", "enableForwardingHttpRequest", "enableProxyingHttpRequest", "http", "port" }));
        var description = handler.GetProperty("description");
        Assert.All(description.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "defaultExecutablePath", "workingDirectory", "arguments" }));
        Assert.Equal("ServerlessInnovation.Functions", description.GetProperty("defaultExecutablePath").GetString());
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.FunctionsOutput, description.GetProperty("defaultExecutablePath").GetString()!)),
            "the executable the host starts is the handler's build output");
        Assert.Equal(JsonValueKind.Array, description.GetProperty("arguments").ValueKind);
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean(), "HTTP functions are served at their original path");

        var bundle = host.GetProperty("extensionBundle");
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", bundle.GetProperty("id").GetString());
        Assert.Equal("[4.*, 5.0.0)", bundle.GetProperty("version").GetString());

        var timeout = TimeSpan.Parse(host.GetProperty("functionTimeout").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

        var extensions = host.GetProperty("extensions");
        Assert.Equal(FunctionsHost.RoutePrefix, extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        var queues = extensions.GetProperty("queues");
        Assert.InRange(queues.GetProperty("batchSize").GetInt32(), 1, 32);
        Assert.True(queues.GetProperty("maxDequeueCount").GetInt32() >= 1);
        Assert.Contains(queues.GetProperty("messageEncoding").GetString(), new[] { "base64", "none" });
        Assert.True(TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, CultureInfo.InvariantCulture) >= TimeSpan.FromMilliseconds(100));
        Assert.True(TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, CultureInfo.InvariantCulture) >= TimeSpan.Zero);

        var levels = new[] { "Trace", "Debug", "Information", "Warning", "Error", "Critical", "None" };
        Assert.All(host.GetProperty("logging").GetProperty("logLevel").EnumerateObject(), l => Assert.Contains(l.Value.GetString(), levels));
    }

    /// <summary>
    /// Replaces <c>%Name%</c> as the Functions host does, from the app's default settings (appsettings.json); every
    /// setting a function.json names must have a default there.
    /// </summary>
    private static string ResolveSettings(string value) => Setting().Replace(value, match =>
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.FunctionsProject, "appsettings.json")));
        var node = settings.RootElement;
        foreach (var part in match.Groups[1].Value.Split("__"))
        {
            Assert.True(node.TryGetProperty(part, out node), $"appsettings.json has no default for %{match.Groups[1].Value}%");
        }
        return node.GetString()!;
    });

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex Setting();

    [GeneratedRegex("^[a-z][a-z0-9_\\-]{0,127}$", RegexOptions.IgnoreCase)]
    private static partial Regex FunctionName();

    [GeneratedRegex("^([a-zA-Z_$][a-zA-Z_0-9]*)$")]
    private static partial Regex BindingName();

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
