using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// The real app in-process, on the shared Azurite, with its own tables (so tests run in parallel), a fixed clock,
/// and a fast catalog refresh. Settings can be added or overridden per test.
/// </summary>
public sealed class ApiFactory(string storageConnectionString, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public string CarrierTable { get; } = settings?.GetValueOrDefault("Catalog:CarrierTable") ?? Azurite.UniqueName("carriers");
    public string StateTable { get; } = settings?.GetValueOrDefault("Catalog:StateTable") ?? Azurite.UniqueName("state");

    /// <summary>This app's own applications queue and tables, so parallel tests never take each other's messages.</summary>
    public string ApplicationsQueue { get; } = settings?.GetValueOrDefault("ApplicationsQueue") ?? Azurite.UniqueName("applications");
    public FakeTimeProvider Clock { get; } = new(FakeTimeProvider.Default);

    /// <summary>Header that carries a bureau's API key in standalone mode.</summary>
    public const string BureauKeyHeader = "X-Bureau-Key";

    /// <summary>Each bureau's API key for this app, fresh per factory; the app is given only their SHA-256 hashes.</summary>
    public IReadOnlyDictionary<string, string> BureauKeys { get; } =
        ServerlessInnovation.Functions.Bureaus.Bureau.All.ToDictionary(b => b.Code, _ => NewSigningKey());

    /// <summary>A fresh signing key for match ids and access tokens: no secret lives in the repository.</summary>
    public static string NewSigningKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>A factory whose catalog is the seeded Hangzhou demo catalog.</summary>
    public static async Task<ApiFactory> WithDemoCatalogAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var azurite = await Azurite.Shared;
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Catalog:SeedDemoCatalogWhenEmpty"] = "true" };
        return new ApiFactory(azurite.ConnectionString, all);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage", storageConnectionString);
        builder.UseSetting("Catalog:CarrierTable", CarrierTable);
        builder.UseSetting("Catalog:StateTable", StateTable);
        builder.UseSetting("Catalog:RefreshInterval", "00:00:00.200");
        builder.UseSetting("Applications:SigningKey", NewSigningKey());
        foreach (var (bureau, key) in BureauKeys)
        {
            builder.UseSetting($"Bureaus:KeyHashes:{bureau}", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))));
        }
        builder.UseSetting("ApplicationsQueue", ApplicationsQueue);
        builder.UseSetting("Applications:ApplicationTable", Azurite.UniqueName("apps"));
        builder.UseSetting("Applications:RequestTable", Azurite.UniqueName("requests"));
        builder.UseSetting("Triggers:Timers:Container", Azurite.UniqueName("timers"));
        builder.UseSetting("Documents:DocumentTable", Azurite.UniqueName("documents"));
        builder.UseSetting("Documents:Container", Azurite.UniqueName("documents"));
        builder.UseSetting("DocumentsQueue", Azurite.UniqueName("documents"));
        builder.UseSetting("Statistics:StatisticsTable", Azurite.UniqueName("statistics"));
        builder.UseSetting("Statistics:ReportContainer", Azurite.UniqueName("reports"));
        // Most tests decide applications themselves, step by step: the standalone listener and sweep run only when a test
        // turns them on (AzureWebJobs:{Function}:Disabled = false).
        builder.UseSetting("AzureWebJobs:ProcessApplication:Disabled", "true");
        builder.UseSetting("AzureWebJobs:SweepApplications:Disabled", "true");
        builder.UseSetting("AzureWebJobs:IngestDocument:Disabled", "true");
        builder.UseSetting("AzureWebJobs:RefreshStatistics:Disabled", "true");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    /// <summary>A client that calls as bureau <paramref name="code"/> (its key in <see cref="BureauKeyHeader"/>).</summary>
    public HttpClient CreateBureauClient(string code)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(BureauKeyHeader, BureauKeys[code]);
        return client;
    }

    /// <summary>Waits until the app serves its catalog (the first load runs in the background).</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return client;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The app did not load its catalog within 60 s: " + await response.Content.ReadAsStringAsync());
            }
            await Task.Delay(50);
        }
    }
}
