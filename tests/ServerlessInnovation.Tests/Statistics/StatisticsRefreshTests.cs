using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Functions.RefreshStatistics;
using ServerlessInnovation.Functions.Statistics;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Statistics;

/// <summary>The demo app with 3,000 applications over the ten days before 2026-12-07 (China time), and its clock at 02:00 that night.</summary>
public sealed class StatisticsApp : IAsyncLifetime
{
    public static readonly DateTimeOffset Night = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero); // 02:00 on 7 December in China
    public static readonly DateOnly Day = new(2026, 12, 6);

    public ApiFactory Factory { get; private set; } = null!;
    public HttpClient Public { get; private set; } = null!;
    public HttpClient Bureau { get; private set; } = null!;
    public IReadOnlyList<ApplicationRecord> Applications { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Factory = await ApiFactory.WithDemoCatalogAsync();
        Factory.Clock.Now = Night;
        Public = await Factory.CreateReadyClientAsync();
        Bureau = Factory.CreateBureauClient("xihu");
        Applications = StatisticsDataSet.Applications(DemoCatalog.Hangzhou().Carriers, 3_000, Night, days: 10, seed: 11).ToList();
        await Factory.Services.GetRequiredService<ApplicationStore>().AddManyAsync(Applications, CancellationToken.None);
    }

    public async Task RunAsync(DateTimeOffset at, bool pastDue = false)
    {
        Factory.Clock.Now = at;
        using var scope = Factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredKeyedService<ITimerTriggerHandler>(RefreshStatisticsHandler.Name)
            .HandleAsync(new TimerTriggerInfo(pastDue, null, null), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Public.Dispose();
        Bureau.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>RefreshStatistics end to end: what it stores, that it is idempotent, deltas, catching up, and reading the results.</summary>
public sealed class StatisticsRefreshTests(StatisticsApp app) : IClassFixture<StatisticsApp>
{
    private StatisticsStore Store => app.Factory.Services.GetRequiredService<StatisticsStore>();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ANightlyRunStoresEveryIndicatorOfTheDayItsFilesAndTheLatestPointerAndRunningAgainReplacesThem()
    {
        await app.RunAsync(StatisticsApp.Night);

        var rows = await Store.ReadAsync(StatisticsApp.Day, null, CancellationToken.None);
        var expectedReceived = app.Applications.Count(a => ChinaStandardTime.DayOf(a.SubmittedAt) <= StatisticsApp.Day);
        Assert.Equal(expectedReceived, rows.Single(r => r.Scope == "hangzhou" && r.Code == Indicators.Received(StatisticsPeriod.Total)).Value);
        Assert.Equal(DemoCatalog.Hangzhou().Carriers.Count, rows.Single(r => r.Scope == "hangzhou" && r.Code == Indicators.Carriers).Value);
        Assert.Equal(StatisticsSnapshot.AllScopes.Order(), rows.Select(r => r.Scope).Distinct().Order());
        Assert.Equal(StatisticsApp.Day, await Store.LatestAsync(CancellationToken.None));
        var blobs = app.Factory.Services.GetRequiredService<ServerlessInnovation.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(
            app.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StatisticsOptions>>().Value.ReportContainer);
        var pointer = JsonDocument.Parse((await blobs.GetBlobClient(StatisticsStore.LatestBlob).DownloadContentAsync()).Value.Content.ToString()).RootElement;
        Assert.Equal("2026-12-06", pointer.GetProperty("date").GetString());
        Assert.Equal("statistics/2026/12/06/", pointer.GetProperty("folder").GetString());

        // The files: JSON, CSV with a BOM for Excel, and four SVG charts.
        var json = JsonDocument.Parse((await Store.Blob(StatisticsApp.Day, StatisticsFiles.Json).DownloadContentAsync()).Value.Content.ToString()).RootElement;
        Assert.Equal("2026-12-06", json.GetProperty("date").GetString());
        Assert.Equal(StatisticsSnapshot.AllScopes.Count, json.GetProperty("scopes").GetArrayLength());
        var csv = (await Store.Blob(StatisticsApp.Day, StatisticsFiles.Csv).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Count + 1, lines.Length);
        foreach (var chart in (string[])[StatisticsFiles.TierMix, StatisticsFiles.DistrictBars, StatisticsFiles.ApplicationFunnel, StatisticsFiles.Trend])
        {
            var svg = XDocument.Parse((await Store.Blob(StatisticsApp.Day, chart).DownloadContentAsync()).Value.Content.ToString());
            Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Root!.Name);
        }

        // A row that is not part of the snapshot (say, an indicator since retired) is gone after the date is computed again.
        var table = app.Factory.Services.GetRequiredService<TableServiceClient>().GetTableClient(
            app.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StatisticsOptions>>().Value.StatisticsTable);
        await table.AddEntityAsync(new TableEntity(StatisticsStore.Partition(StatisticsApp.Day), "hangzhou|retired.indicator") { ["Value"] = 1.0 });
        await app.RunAsync(StatisticsApp.Night);
        var again = await Store.ReadAsync(StatisticsApp.Day, null, CancellationToken.None);
        Assert.Equal(rows.Select(r => (r.Scope, r.Code, r.Value)).Order(), again.Select(r => (r.Scope, r.Code, r.Value)).Order());
    }

    [Fact]
    public async Task TheChangeIsAgainstThePreviousNightAndALateRunFillsInTheMissingNights()
    {
        using var factory = await ApiFactory.WithDemoCatalogAsync();
        (await factory.CreateReadyClientAsync()).Dispose();
        await factory.Services.GetRequiredService<ApplicationStore>().AddManyAsync(app.Applications, CancellationToken.None);
        var store = factory.Services.GetRequiredService<StatisticsStore>();
        async Task RunAsync(DateTimeOffset at, bool pastDue)
        {
            factory.Clock.Now = at;
            using var scope = factory.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredKeyedService<ITimerTriggerHandler>(RefreshStatisticsHandler.Name)
                .HandleAsync(new TimerTriggerInfo(pastDue, null, null), CancellationToken.None);
        }

        await RunAsync(StatisticsApp.Night.AddDays(-4), pastDue: false); // 2 December
        // Down for three nights; the first run after is past due and computes 3, 4, 5 and 6 December.
        await RunAsync(StatisticsApp.Night, pastDue: true);

        for (var day = StatisticsApp.Day.AddDays(-4); day <= StatisticsApp.Day; day = day.AddDays(1))
        {
            Assert.NotEmpty(await store.ReadAsync(day, ["hangzhou"], CancellationToken.None));
        }
        var received = Indicators.Received(StatisticsPeriod.Total);
        var before = (await store.ReadAsync(StatisticsApp.Day.AddDays(-1), ["xihu"], CancellationToken.None)).Single(r => r.Code == received);
        var after = (await store.ReadAsync(StatisticsApp.Day, ["xihu"], CancellationToken.None)).Single(r => r.Code == received);
        Assert.Equal(before.Value, after.Previous);
        Assert.Equal(after.Value - before.Value, after.Change);
        Assert.True(after.Change > 0);
        var firstDay = (await store.ReadAsync(StatisticsApp.Day.AddDays(-4), ["xihu"], CancellationToken.None)).Single(r => r.Code == received);
        Assert.Null(firstDay.Previous);
    }

    [Fact]
    public async Task ThePublicSummaryShowsTheHeadlineOfTheLatestNightForTheCityOrADistrict()
    {
        await app.RunAsync(StatisticsApp.Night);

        using var latest = await app.Public.GetAsync(new Uri("/api/statistics/latest", UriKind.Relative));
        var city = await JsonAsync(latest);
        Assert.Equal("2026-12-06", city.GetProperty("date").GetString());
        var scope = Assert.Single(city.GetProperty("scopes").EnumerateArray());
        Assert.Equal("hangzhou", scope.GetProperty("scope").GetString());
        Assert.Equal(StatisticsViews.Headline, scope.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        Assert.Equal(JsonValueKind.Null, city.GetProperty("files").ValueKind);

        using var xihu = await app.Public.GetAsync(new Uri($"/api/statistics/{Date(StatisticsApp.Day)}?scope=xihu", UriKind.Relative));
        var district = Assert.Single((await JsonAsync(xihu)).GetProperty("scopes").EnumerateArray());
        Assert.Equal("西湖区", district.GetProperty("name").GetProperty("zh").GetString());
        var carriers = district.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("code").GetString() == Indicators.Carriers);
        Assert.Equal(DemoCatalog.Hangzhou().Carriers.Count(c => c.DistrictCode == "xihu"), carriers.GetProperty("value").GetDouble());
    }

    [Theory]
    [InlineData("/api/statistics/2026-13-01", HttpStatusCode.BadRequest, "validation-failed")]
    [InlineData("/api/statistics/yesterday", HttpStatusCode.BadRequest, "validation-failed")]
    [InlineData("/api/statistics/2026-12-06?scope=atlantis", HttpStatusCode.BadRequest, "validation-failed")]
    [InlineData("/api/statistics/2020-01-01", HttpStatusCode.NotFound, "not-found")]
    public async Task BadDatesAndScopesAreRefused(string path, HttpStatusCode status, string code)
    {
        await app.RunAsync(StatisticsApp.Night);
        using var response = await app.Public.GetAsync(new Uri(path, UriKind.Relative));
        await Problem.AssertAsync(response, status, code);
    }

    [Fact]
    public async Task ABureauReadsEveryIndicatorOfEveryScopeAndDownloadsTheFiles()
    {
        await app.RunAsync(StatisticsApp.Night);

        using var detail = await app.Bureau.GetAsync(new Uri("/api/bureau/statistics/latest", UriKind.Relative));
        var view = await JsonAsync(detail);
        Assert.Equal(StatisticsSnapshot.AllScopes.Count, view.GetProperty("scopes").GetArrayLength());
        var city = view.GetProperty("scopes")[0];
        Assert.Equal("hangzhou", city.GetProperty("scope").GetString());
        Assert.Equal(Indicators.All.Select(i => i.Code), city.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        var csvLink = view.GetProperty("files").GetProperty(StatisticsFiles.Csv).GetString()!;
        Assert.Equal($"/api/bureau/statistics/{Date(StatisticsApp.Day)}/statistics.csv", csvLink);

        using var csv = await app.Bureau.GetAsync(new Uri(csvLink, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Contains("孵化载体总数", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        using var svg = await app.Bureau.GetAsync(new Uri($"/api/bureau/statistics/latest/{StatisticsFiles.Trend}", UriKind.Relative));
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        using var other = await app.Bureau.GetAsync(new Uri("/api/bureau/statistics/latest/passwd", UriKind.Relative));
        await Problem.AssertAsync(other, HttpStatusCode.NotFound, "not-found");
        using var oneScope = await app.Bureau.GetAsync(new Uri("/api/bureau/statistics/latest?scope=xihu&scope=binjiang", UriKind.Relative));
        Assert.Equal(["xihu", "binjiang"], (await JsonAsync(oneScope)).GetProperty("scopes").EnumerateArray().Select(s => s.GetProperty("scope").GetString()));
    }

    [Fact]
    public void TheScheduleIsTwoAtNightChinaTimeFromConfiguration()
    {
        var manifest = app.Factory.Services.GetRequiredService<FunctionManifest>();
        var function = manifest.Functions.Single(f => f.Name == RefreshStatisticsHandler.Name);
        var schedule = CronSchedule.Parse(function.Trigger.Schedule!);
        Assert.Equal("0 0 18 * * *", schedule.Expression);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero), schedule.NextOccurrence(new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task TheFunctionsHostsTimerPayloadRunsTheRefresh()
    {
        await using var host = app.Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.Replace(ServiceDescriptor.Singleton(new HostModeInfo(HostMode.CustomHandler)))));
        using var client = host.CreateClient();
        var store = host.Services.GetRequiredService<StatisticsStore>();
        var day = StatisticsApp.Day.AddDays(-8);
        app.Factory.Clock.Now = StatisticsApp.Night.AddDays(-8);

        using var response = await client.PostAsync(new Uri("/" + RefreshStatisticsHandler.Name, UriKind.Relative), new StringContent("""
            {
              "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": { "Last": "2026-11-27T18:00:00Z", "Next": "2026-11-28T18:00:00Z", "LastUpdated": "2026-11-27T18:00:00Z" }, "IsPastDue": false } },
              "Metadata": { "sys": { "MethodName": "RefreshStatistics", "UtcNow": "2026-11-28T18:00:00.01Z", "RandGuid": "fa3b1c2d-0000-4000-8000-000000000002" } }
            }
            """, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await store.ReadAsync(day, ["hangzhou"], CancellationToken.None));
    }
}
