using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Tests.Api;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Documents;

/// <summary>The demo app with the standalone IngestDocument listener on: uploads are ingested the way they are in production.</summary>
public sealed class IngestingApp : IAsyncLifetime
{
    public ApiFactory Factory { get; private set; } = null!;
    public HttpClient Anonymous { get; private set; } = null!;
    public HttpClient Xihu { get; private set; } = null!;
    public HttpClient City { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory = await ApiFactory.WithDemoCatalogAsync(new Dictionary<string, string?> { ["AzureWebJobs:IngestDocument:Disabled"] = "false" });
        Factory.Clock.Now = DateTimeOffset.UtcNow;
        Anonymous = await Factory.CreateReadyClientAsync();
        Xihu = Factory.CreateBureauClient("xihu");
        City = Factory.CreateBureauClient("hangzhou");
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        Xihu.Dispose();
        City.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>Catalog spreadsheets uploaded by bureaus, ingested by the queue trigger, and seen by the catalog and by matching.</summary>
public sealed class CatalogIngestionTests(IngestingApp app) : IClassFixture<IngestingApp>
{
    private const string Csv = "text/csv";
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("n")[..10];

    /// <summary>Uploads a file and waits until ingestion has finished with it.</summary>
    private static async Task<JsonElement> IngestAsync(HttpClient bureau, byte[] content, string contentType, string fileName = "名录.csv")
    {
        using var response = await DocumentsApp.UploadAsync(bureau, content, contentType, fileName: fileName);
        var queued = await DocumentsApp.JsonAsync(response, HttpStatusCode.Accepted);
        return await FinishedAsync(bureau, queued.GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> FinishedAsync(HttpClient bureau, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await bureau.GetAsync(new Uri($"/api/bureau/documents/{id}", UriKind.Relative));
            var document = await DocumentsApp.JsonAsync(response, HttpStatusCode.OK);
            if (document.GetProperty("status").GetString() is "ingested" or "failed")
            {
                return document;
            }
            Assert.True(DateTime.UtcNow < deadline, "not ingested within 60 s: " + document);
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> ReportAsync(JsonElement document) =>
        JsonDocument.Parse(await new HttpClient().GetStringAsync(new Uri(document.GetProperty("links").GetProperty("report").GetString()!))).RootElement.Clone();

    private async Task<ServerlessInnovation.Domain.Catalog.Carrier?> StoredAsync(string district, string id) =>
        (await app.Factory.Services.GetRequiredService<CatalogTable>().GetCarrierAsync(district, id, CancellationToken.None))?.Carrier;

    private static (int Row, string? Column, string Code)[] Errors(JsonElement report) =>
        [.. report.GetProperty("errors").EnumerateArray().Select(e => (
            e.GetProperty("row").GetInt32(),
            e.GetProperty("column").ValueKind == JsonValueKind.Null ? null : e.GetProperty("column").GetString(),
            e.GetProperty("code").GetString()!))];

    [Fact]
    public async Task AGb18030CatalogFromExcelIsAppliedRowByRowAndTheReportSaysWhyEachRefusedRowWasRefused()
    {
        var good = NewId("xh");
        var maker = NewId("xh");
        var twice = NewId("xh");
        var badCells = Incubator(NewId("xh"), "坏数据孵化器");
        badCells[6] = "北纬三十度"; // latitude
        badCells[9] = "99999"; // free area above the total
        var formula = Incubator(NewId("xh"), "=HYPERLINK(\"http://evil.example\",\"点我\")");
        var content = CatalogFiles.Csv(CatalogFiles.Gb18030,
        [
            CatalogFiles.Incubator(good, "西湖人工智能创新孵化器"), // row 2
            CatalogFiles.MakerSpace(maker, "西溪青年众创空间"), // row 3
            badCells, // row 4
            CatalogFiles.Incubator(NewId("bj"), "滨江物联网孵化器", "滨江区", 30.2083, 120.2113), // row 5: not Xihu's
            formula, // row 6
            CatalogFiles.Incubator(twice, "重复编号孵化器甲"), // row 7
            CatalogFiles.Incubator(twice, "重复编号孵化器乙"), // row 8
        ]);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(content)); // really not UTF-8

        var document = await IngestAsync(app.Xihu, content, Csv);
        Assert.Equal("ingested", document.GetProperty("status").GetString());
        var counts = document.GetProperty("counts");
        Assert.Equal((7, 2, 5), (counts.GetProperty("rows").GetInt32(), counts.GetProperty("applied").GetInt32(), counts.GetProperty("refused").GetInt32()));

        var stored = await StoredAsync("xihu", good);
        Assert.NotNull(stored);
        Assert.Equal("西湖人工智能创新孵化器", stored.Name);
        Assert.Equal(6000, stored.FreeAreaM2);
        Assert.Equal("national", Assert.Single(stored.Tiers).LevelCode);
        Assert.NotNull(await StoredAsync("xihu", maker));
        Assert.Null(await StoredAsync("xihu", twice));
        Assert.Null(await StoredAsync("xihu", formula[0]));

        var report = await ReportAsync(document);
        var errors = Errors(report);
        Assert.Contains((4, "纬度", "not-a-number"), errors);
        Assert.Contains((4, "可用面积（平方米）", "free-exceeds-total"), errors);
        Assert.Contains((5, "所在区县", "outside-jurisdiction"), errors);
        Assert.Contains((6, "载体名称", "formula-like"), errors);
        Assert.Contains((7, "载体编号", "duplicate-id"), errors);
        Assert.Contains((8, "载体编号", "duplicate-id"), errors);
        Assert.All(report.GetProperty("errors").EnumerateArray(), e => Assert.True(Infrastructure.Problem.ContainsChinese(e.GetProperty("zh").GetString())));

        // The refused rows as CSV: the formula comes back only neutralised.
        var refusedCsv = await new HttpClient().GetStringAsync(new Uri(document.GetProperty("links").GetProperty("refusedRows").GetString()!));
        Assert.DoesNotContain("\n=", refusedCsv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", refusedCsv, StringComparison.Ordinal);
        Assert.Contains("行号", refusedCsv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnXlsxCatalogReachesMatchingWithinSeconds()
    {
        var id = NewId("xh");
        var content = CatalogFiles.Xlsx([CatalogFiles.Incubator(id, "西湖区人工智能加速器")]);
        var document = await IngestAsync(app.Xihu, content, XlsxType, "名录.xlsx");
        Assert.Equal("ingested", document.GetProperty("status").GetString());
        Assert.Equal(1, document.GetProperty("counts").GetProperty("applied").GetInt32());

        var profile = MatchesApiTests.Profile();
        profile["top"] = 50;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await app.Anonymous.PostAsJsonAsync("/api/matches", profile);
            var matches = await DocumentsApp.JsonAsync(response, HttpStatusCode.OK);
            if (matches.GetProperty("matches").EnumerateArray().Any(m => m.GetProperty("carrier").GetProperty("id").GetString() == id))
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the new carrier did not reach matching within 10 s");
            await Task.Delay(100);
        }
        using var carrier = await app.Anonymous.GetAsync(new Uri($"/api/carriers/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, carrier.StatusCode);
    }

    [Fact]
    public async Task AMalformedWorkbookFailsWholeAndNothingOfItIsApplied()
    {
        var id = NewId("xh");
        var valid = CatalogFiles.Xlsx([CatalogFiles.Incubator(id, "半截文件孵化器")]);
        // The same workbook with its sheet cut off in the middle of the XML (after the first data row).
        var sheet = Encoding.UTF8.GetString(ReadEntry(valid, "xl/worksheets/sheet1.xml"));
        var truncated = CatalogFiles.Xlsx([], sheet[..(sheet.IndexOf("</row>", sheet.IndexOf("</row>", StringComparison.Ordinal) + 1, StringComparison.Ordinal) + 6)] + "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>oops");

        var document = await IngestAsync(app.Xihu, truncated, XlsxType, "坏的.xlsx");
        Assert.Equal("failed", document.GetProperty("status").GetString());
        Assert.Equal("malformed-xml", document.GetProperty("problem").GetProperty("code").GetString());
        Assert.Equal(0, document.GetProperty("counts").GetProperty("applied").GetInt32());
        Assert.Null(await StoredAsync("xihu", id));
        var report = await ReportAsync(document);
        Assert.Equal("malformed-xml", report.GetProperty("problem").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AFileOfAHundredThousandRowsIsRefusedWholeBeforeAnythingIsWritten()
    {
        var first = NewId("xh");
        var rows = Enumerable.Range(0, 100_000).Select(i => CatalogFiles.MakerSpace(i == 0 ? first : $"{first}-{i}", $"众创空间{i}"));
        var document = await IngestAsync(app.Xihu, CatalogFiles.Csv(Encoding.UTF8, rows), Csv);
        Assert.Equal("failed", document.GetProperty("status").GetString());
        Assert.Equal("too-many-rows", document.GetProperty("problem").GetProperty("code").GetString());
        Assert.Null(await StoredAsync("xihu", first));
    }

    [Fact]
    public async Task TheCityBureauCoversEveryDistrict()
    {
        var xihu = NewId("xh");
        var binjiang = NewId("bj");
        var content = CatalogFiles.Csv(new UTF8Encoding(false), [
            CatalogFiles.Incubator(xihu, "市局登记西湖孵化器"),
            CatalogFiles.Incubator(binjiang, "市局登记滨江孵化器", "binjiang", 30.2083, 120.2113)], bom: true);
        var document = await IngestAsync(app.City, content, "text/csv; charset=utf-8");
        Assert.Equal(2, document.GetProperty("counts").GetProperty("applied").GetInt32());
        Assert.NotNull(await StoredAsync("xihu", xihu));
        Assert.NotNull(await StoredAsync("binjiang", binjiang));
    }

    [Fact]
    public async Task ACarrierCannotBeMovedToAnotherDistrictByACatalog()
    {
        var existing = ServerlessInnovation.Domain.Catalog.DemoCatalog.Hangzhou().Carriers.First(c => c.DistrictCode == "xihu");
        var content = CatalogFiles.Csv(Encoding.UTF8, [CatalogFiles.Incubator(existing.Id, existing.Name, "滨江区", 30.2083, 120.2113)]);
        var document = await IngestAsync(app.City, content, Csv);
        Assert.Equal(0, document.GetProperty("counts").GetProperty("applied").GetInt32());
        Assert.Contains((2, "所在区县", "district-change"), Errors(await ReportAsync(document)));
        Assert.Null(await StoredAsync("binjiang", existing.Id));
    }

    [Fact]
    public async Task GbkBytesInAFileDeclaredUtf8AreRefusedNotGuessed()
    {
        var id = NewId("xh");
        var content = CatalogFiles.Csv(CatalogFiles.Gb18030, [CatalogFiles.Incubator(id, "编码错误孵化器")]);
        var document = await IngestAsync(app.Xihu, content, "text/csv; charset=utf-8");
        Assert.Equal("failed", document.GetProperty("status").GetString());
        Assert.Equal("not-utf8", document.GetProperty("problem").GetProperty("code").GetString());
        Assert.Null(await StoredAsync("xihu", id));
    }

    [Fact]
    public async Task TheSameFileAgainReturnsTheEarlierReportAndAppliesNothingTwice()
    {
        var id = NewId("xh");
        var content = CatalogFiles.Csv(Encoding.UTF8, [CatalogFiles.Incubator(id, "重复上传孵化器")]);
        var first = await IngestAsync(app.Xihu, content, Csv);
        using var again = await DocumentsApp.UploadAsync(app.Xihu, content, Csv);
        var duplicate = await DocumentsApp.JsonAsync(again, HttpStatusCode.OK);
        Assert.Equal("duplicate", duplicate.GetProperty("status").GetString());

        using var response = await app.Xihu.GetAsync(new Uri($"/api/bureau/documents/{duplicate.GetProperty("id").GetString()}", UriKind.Relative));
        var view = await DocumentsApp.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(1, view.GetProperty("counts").GetProperty("applied").GetInt32());
        var report = await ReportAsync(view);
        Assert.Equal(first.GetProperty("id").GetString(), report.GetProperty("documentId").GetString());
    }

    [Fact]
    public async Task ARedeliveredMessageForAnIngestedDocumentChangesNothing()
    {
        var id = NewId("xh");
        var document = await IngestAsync(app.Xihu, CatalogFiles.Csv(Encoding.UTF8, [CatalogFiles.Incubator(id, "再次投递孵化器")]), Csv);
        var before = (await app.Factory.Services.GetRequiredService<CatalogTable>().GetCarrierAsync("xihu", id, CancellationToken.None))!.Value.ETag;

        using var scope = app.Factory.Services.CreateScope();
        var handler = scope.ServiceProvider.GetRequiredKeyedService<ServerlessInnovation.Functions.Hosting.IQueueTriggerHandler>(
            ServerlessInnovation.Functions.IngestDocument.IngestDocumentHandler.Name);
        await handler.HandleAsync(new(
            "m", $$"""{"bureau":"xihu","documentId":"{{document.GetProperty("id").GetString()}}"}""", 2, null, null, null, null), CancellationToken.None);

        var after = (await app.Factory.Services.GetRequiredService<CatalogTable>().GetCarrierAsync("xihu", id, CancellationToken.None))!.Value.ETag;
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"bureau":"nowhere","documentId":"0000000000000-0000000000000000"}""")]
    [InlineData("""{"bureau":"xihu","documentId":"../../x"}""")]
    public void AMessageThisServiceDidNotSendIsRefused(string text) =>
        Assert.Throws<FormatException>(() => ServerlessInnovation.Functions.IngestDocument.IngestDocumentHandler.Read(text));

    private static string[] Incubator(string id, string name) => CatalogFiles.Incubator(id, name);

    private static byte[] ReadEntry(byte[] zip, string name)
    {
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip));
        using var entry = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

}
