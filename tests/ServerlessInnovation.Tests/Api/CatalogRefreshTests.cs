using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

/// <summary>The in-memory catalog: seeded once, refreshed on change, served from memory whatever storage does.</summary>
public sealed class CatalogRefreshTests
{
    private static async Task<JsonElement> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what + " did not happen within 15 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task ASavedCarrierIsServedWithinSeconds()
    {
        await using var factory = await ApiFactory.WithDemoCatalogAsync();
        using var client = await factory.CreateReadyClientAsync();
        var template = DemoCatalog.Hangzhou().Carriers.First(c => c.DistrictCode == "xihu");
        var added = template with { Id = "xihu-new-001", Name = "西溪新建孵化器" };

        var table = factory.Services.GetRequiredService<CatalogTable>();
        var before = (await table.GetVersionAsync(CancellationToken.None))!.Number;
        await table.SaveCarriersAsync([added], CancellationToken.None);

        await WaitUntilAsync(async () => (await client.GetAsync(new Uri("/api/carriers/xihu-new-001", UriKind.Relative))).IsSuccessStatusCode, "serving the new carrier");
        var health = await HealthAsync(client);
        Assert.Equal(before + 1, health.GetProperty("catalog").GetProperty("version").GetInt64());
        Assert.Equal(443, health.GetProperty("catalog").GetProperty("carriers").GetInt32());
    }

    [Fact]
    public async Task ACarrierThatWouldNotLoadIsRefusedAndNothingOfTheBatchIsSaved()
    {
        await using var factory = await ApiFactory.WithDemoCatalogAsync();
        using var client = await factory.CreateReadyClientAsync();
        var template = DemoCatalog.Hangzhou().Carriers.First(c => c.DistrictCode == "xihu");
        var good = template with { Id = "xihu-new-101", Name = "西溪好载体" };
        var bad = template with { Id = "xihu-new-102", Name = "西溪坏载体", FreeAreaM2 = template.TotalAreaM2 + 1 };
        var table = factory.Services.GetRequiredService<CatalogTable>();
        var before = (await table.GetVersionAsync(CancellationToken.None))!.Number;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.SaveCarriersAsync([good, bad], CancellationToken.None));

        Assert.Contains("xihu-new-102", error.Message, StringComparison.Ordinal);
        Assert.Null(await table.GetCarrierAsync("xihu", "xihu-new-101", CancellationToken.None));
        Assert.Null(await table.GetCarrierAsync("xihu", "xihu-new-102", CancellationToken.None));
        Assert.Equal(before, (await table.GetVersionAsync(CancellationToken.None))!.Number);
    }

    [Fact]
    public async Task MatchingKeepsServingFromMemoryWhenStorageGoesAway()
    {
        var azurite = await Azurite.Shared;
        var proxy = new TcpProxy(azurite.TablePort);
        var connection = $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};TableEndpoint=http://127.0.0.1:{proxy.Port}/{Azurite.AccountName};";
        await using var factory = new ApiFactory(connection, new Dictionary<string, string?> { ["Catalog:SeedDemoCatalogWhenEmpty"] = "true" });
        using var client = await factory.CreateReadyClientAsync();

        await proxy.DisposeAsync();

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/matches", MatchesApiTests.Profile());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal("healthy", (await HealthAsync(client)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task WithoutStorageTheAppStartsAndSaysTheCatalogIsNotReady()
    {
        var deadPort = new TcpProxy(1);
        var port = deadPort.Port;
        await deadPort.DisposeAsync();
        var connection = $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};TableEndpoint=http://127.0.0.1:{port}/{Azurite.AccountName};";
        await using var factory = new ApiFactory(connection, new Dictionary<string, string?> { ["Catalog:FirstLoadWait"] = "00:00:00.300" });
        using var client = factory.CreateClient();

        using var match = await client.PostAsJsonAsync("/api/matches", MatchesApiTests.Profile());
        using var health = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        await Problem.AssertAsync(match, HttpStatusCode.ServiceUnavailable, "catalog-unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), match.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("starting", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheDemoCatalogIsSeededOnlyIntoAnEmptyTable()
    {
        long firstVersion;
        var tables = new Dictionary<string, string?>
        {
            ["Catalog:CarrierTable"] = Azurite.UniqueName("carriers"),
            ["Catalog:StateTable"] = Azurite.UniqueName("state"),
        };
        await using (var first = await ApiFactory.WithDemoCatalogAsync(tables))
        {
            using var client = await first.CreateReadyClientAsync();
            firstVersion = (await HealthAsync(client)).GetProperty("catalog").GetProperty("version").GetInt64();
        }

        await using var second = await ApiFactory.WithDemoCatalogAsync(tables);
        using var again = await second.CreateReadyClientAsync();

        var health = await HealthAsync(again);
        Assert.True(firstVersion > 0);
        Assert.Equal(firstVersion, health.GetProperty("catalog").GetProperty("version").GetInt64());
        Assert.Equal(442, health.GetProperty("catalog").GetProperty("carriers").GetInt32());
    }

    [Fact]
    public async Task AnEntityThatIsNotACarrierIsSkippedRatherThanFatal()
    {
        await using var factory = await ApiFactory.WithDemoCatalogAsync();
        using var client = await factory.CreateReadyClientAsync();
        var tables = factory.Services.GetRequiredService<TableServiceClient>();
        await tables.GetTableClient(factory.CarrierTable).UpsertEntityAsync(new TableEntity("xihu", "junk-1") { ["Type"] = "spaceship", ["Latitude"] = "north" });

        var catalog = factory.Services.GetRequiredService<CatalogTable>();
        await catalog.RecordChangeAsync(CancellationToken.None);
        var version = (await catalog.GetVersionAsync(CancellationToken.None))!.Number;

        await WaitUntilAsync(async () => (await HealthAsync(client)).GetProperty("catalog").GetProperty("version").GetInt64() == version, "reloading");
        Assert.Equal(442, (await HealthAsync(client)).GetProperty("catalog").GetProperty("carriers").GetInt32());
    }

    [Fact]
    public async Task ConcurrentChangesAreEachCountedAndEachVisible()
    {
        await using var factory = new ApiFactory((await Azurite.Shared).ConnectionString);
        var catalog = factory.Services.GetRequiredService<CatalogTable>();
        await catalog.EnsureExistsAsync(CancellationToken.None);
        var tokens = new HashSet<string>();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => catalog.RecordChangeAsync(CancellationToken.None)));
        var version = await catalog.GetVersionAsync(CancellationToken.None);
        tokens.Add(version!.Token);
        await catalog.RecordChangeAsync(CancellationToken.None);
        tokens.Add((await catalog.GetVersionAsync(CancellationToken.None))!.Token);

        Assert.Equal(60, version.Number);
        Assert.Equal(2, tokens.Count);
    }
}
