using System.Net;
using System.Text.Json;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

public sealed class CarriersApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await app.Client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<List<JsonElement>> AllPagesAsync(string query, int pageSize)
    {
        var items = new List<JsonElement>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await GetAsync($"/api/carriers?{query}&pageSize={pageSize}" + (token is null ? "" : "&continuationToken=" + token));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.GetProperty("continuationToken").GetString();
            Assert.True(++pages < 1000);
        }
        while (token is not null);
        return items;
    }

    [Fact]
    public async Task PagingVisitsEveryCarrierOnceInIdOrder()
    {
        var items = await AllPagesAsync("", 50);

        var ids = items.Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.Equal(442, ids.Count);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task FiltersCombineAndTheTotalCountsEveryPage()
    {
        var demo = DemoCatalog.Hangzhou();
        var expected = demo.Carriers.Where(c => c.DistrictCode == "binjiang" && c.Type == CarrierType.Incubator).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();

        var first = await GetAsync("/api/carriers?district=binjiang&type=incubator&pageSize=5");
        var all = await AllPagesAsync("district=binjiang&type=incubator", 5);

        Assert.Equal(expected.Count, first.GetProperty("total").GetInt32());
        Assert.Equal(expected, all.Select(i => i.GetProperty("id").GetString()));
        Assert.All(all, i => Assert.Equal("滨江区", i.GetProperty("district").GetProperty("name").GetProperty("zh").GetString()));
    }

    [Fact]
    public async Task TheCatalogHoldsFortyEightNationalIncubatorsAndSixtyEightNationalMakerSpaces()
    {
        var incubators = await GetAsync("/api/carriers?tier=national&type=incubator");
        var makerSpaces = await GetAsync("/api/carriers?tier=national&type=maker-space");

        Assert.Equal(48, incubators.GetProperty("total").GetInt32());
        Assert.Equal(68, makerSpaces.GetProperty("total").GetInt32());
        // A national incubator that also holds the newer 卓越级 shows that as its tier, and still counts as national.
        Assert.All(incubators.GetProperty("items").EnumerateArray(), i => Assert.Contains(i.GetProperty("tier").GetProperty("code").GetString(), new[] { "national", "excellent" }));
    }

    [Fact]
    public async Task IndustryFilterKeepsOnlyCarriersFocusedOnIt()
    {
        var items = await AllPagesAsync("industry=biomedicine", 100);

        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Contains(i.GetProperty("industries").EnumerateArray(), x => x.GetProperty("code").GetString() == "biomedicine"));
    }

    [Fact]
    public async Task ACarrierShowsItsTiersRecordAndEntryRules()
    {
        var named = DemoCatalog.Hangzhou().Carriers.Single(c => c.Name == "杭州北部软件园");

        var detail = await GetAsync("/api/carriers/" + named.Id);

        Assert.Equal("杭州北部软件园", detail.GetProperty("name").GetString());
        Assert.Equal(named.TrackRecord.Graduated, detail.GetProperty("trackRecord").GetProperty("graduated").GetInt32());
        Assert.Equal(named.Tiers.Count, detail.GetProperty("tierAwards").GetArrayLength());
        Assert.All(detail.GetProperty("tierAwards").EnumerateArray(), a => Assert.False(string.IsNullOrEmpty(a.GetProperty("issuingBody").GetString())));
        Assert.Equal(named.EntryRules.Count, detail.GetProperty("entryRules").GetArrayLength());
        Assert.All(detail.GetProperty("entryRules").EnumerateArray(), r => Assert.True(Problem.ContainsChinese(r.GetProperty("description").GetProperty("zh").GetString())));
        Assert.True(detail.GetProperty("catalogVersion").GetInt64() >= 1);
    }

    [Fact]
    public async Task AnUnknownCarrierIsNotFound()
    {
        using var response = await app.Client.GetAsync(new Uri("/api/carriers/no-such-carrier", UriKind.Relative));

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task HealthReportsTheLoadedCatalog()
    {
        var health = await GetAsync("/api/health");

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("standalone", health.GetProperty("mode").GetString());
        Assert.Equal(442, health.GetProperty("catalog").GetProperty("carriers").GetInt32());
        Assert.Equal("2026-11-22", health.GetProperty("catalog").GetProperty("tiersAsOf").GetString());
    }
}
