using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Documents;

/// <summary>Uploading documents: upload URLs, completion, direct uploads, the checks, and hostile files and names.</summary>
public sealed class DocumentUploadTests(DocumentsApp app) : IClassFixture<DocumentsApp>
{
    private const string Csv = "text/csv";
    private const string Pdf = "application/pdf";

    /// <summary>A catalog CSV that no other test uploads (its SHA-256 is its own).</summary>
    private static byte[] UniqueCsv() => Encoding.UTF8.GetBytes(
        "载体编号,载体名称\r\n" + "t-" + Guid.NewGuid().ToString("n")[..12] + ",测试载体\r\n");

    private static byte[] UniquePdf() => [.. "%PDF-1.7\n%âãÏÓ\n"u8.ToArray(), .. Guid.NewGuid().ToByteArray(), .. "\n%%EOF\n"u8.ToArray()];

    private static string Status(JsonElement document) => document.GetProperty("status").GetString()!;

    [Fact]
    public async Task AnUploadUrlCreatesTheFileOnceAndCannotReadOrReplaceItAndCompletionQueuesTheCatalog()
    {
        var content = UniqueCsv();
        var ticket = await DocumentsApp.TicketAsync(app.Xihu, "text/csv; charset=utf-8", content.Length);
        var id = ticket.GetProperty("documentId").GetString()!;
        Assert.Equal("awaiting-upload", Status(ticket.GetProperty("document")));
        Assert.Equal("PUT", ticket.GetProperty("method").GetString());
        Assert.Contains("sp=c&", ticket.GetProperty("uploadUrl").GetString(), StringComparison.Ordinal);
        Assert.True(ticket.GetProperty("expiresAt").GetDateTimeOffset() <= app.Factory.Clock.Now.AddMinutes(15));

        using (var put = await app.PutAsync(ticket, content))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        // The same URL again: the blob exists, and a create-only token cannot replace it.
        using (var again = await app.PutAsync(ticket, UniqueCsv()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        }
        // Nor can it read.
        using (var read = await app.Storage.GetAsync(new Uri(ticket.GetProperty("uploadUrl").GetString()!)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        }

        using var complete = await app.Xihu.PostAsync(new Uri(ticket.GetProperty("completeUrl").GetString()!, UriKind.Relative), null);
        var document = await DocumentsApp.JsonAsync(complete, HttpStatusCode.Accepted);
        Assert.Equal(id, document.GetProperty("id").GetString());
        Assert.Equal("queued", Status(document));
        Assert.Equal(DocumentsApp.Sha256(content), document.GetProperty("sha256").GetString());
        Assert.Equal(content.Length, document.GetProperty("size").GetInt64());
        Assert.Equal("csv", document.GetProperty("format").GetString());

        // Completing again changes nothing and says the same.
        using var repeat = await app.Xihu.PostAsync(new Uri(ticket.GetProperty("completeUrl").GetString()!, UriKind.Relative), null);
        Assert.Equal("queued", Status(await DocumentsApp.JsonAsync(repeat, HttpStatusCode.Accepted)));
    }

    [Fact]
    public async Task AnExpiredUploadUrlIsRefusedByStorageAndCompletingSaysTheFileIsMissing()
    {
        using var factory = await ApiFactory.WithDemoCatalogAsync();
        factory.Clock.Now = DateTimeOffset.UtcNow.AddHours(-2);
        (await factory.CreateReadyClientAsync()).Dispose();
        using var xihu = factory.CreateBureauClient("xihu");
        var content = UniqueCsv();
        var ticket = await DocumentsApp.TicketAsync(xihu, Csv, content.Length);

        using (var put = await app.PutAsync(ticket, content))
        {
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        }
        using var complete = await xihu.PostAsync(new Uri(ticket.GetProperty("completeUrl").GetString()!, UriKind.Relative), null);
        await Problem.AssertAsync(complete, HttpStatusCode.Conflict, "upload-missing");
    }

    [Fact]
    public async Task CompletingBeforeTheUploadSaysTheFileIsMissingAndTheUrlStillWorksAfterwards()
    {
        var content = UniqueCsv();
        var ticket = await DocumentsApp.TicketAsync(app.Xihu, Csv, content.Length);
        var completeUrl = new Uri(ticket.GetProperty("completeUrl").GetString()!, UriKind.Relative);
        using (var early = await app.Xihu.PostAsync(completeUrl, null))
        {
            await Problem.AssertAsync(early, HttpStatusCode.Conflict, "upload-missing");
        }
        using (var put = await app.PutAsync(ticket, content))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        using var complete = await app.Xihu.PostAsync(completeUrl, null);
        Assert.Equal("queued", Status(await DocumentsApp.JsonAsync(complete, HttpStatusCode.Accepted)));
    }

    [Fact]
    public async Task AFileWhoseContentIsNotTheDeclaredTypeIsRejectedAndDeleted()
    {
        var pdf = UniquePdf();
        var ticket = await DocumentsApp.TicketAsync(app.Xihu, Csv, pdf.Length);
        using (var put = await app.PutAsync(ticket, pdf))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        using var complete = await app.Xihu.PostAsync(new Uri(ticket.GetProperty("completeUrl").GetString()!, UriKind.Relative), null);
        var problem = await Problem.AssertAsync(complete, HttpStatusCode.UnprocessableEntity, "type-mismatch");
        Problem.FieldError(problem, "file", "type-mismatch");

        var document = await GetAsync(app.Xihu, ticket.GetProperty("documentId").GetString()!);
        Assert.Equal("rejected", Status(document));
        Assert.Equal("type-mismatch", document.GetProperty("problem").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, document.GetProperty("links").GetProperty("download").ValueKind);
        var blob = app.Factory.Services.GetRequiredService<ServerlessInnovation.Functions.Documents.DocumentStore>()
            .Blob(ServerlessInnovation.Functions.Documents.DocumentRecord.SourceBlobOf("xihu", document.GetProperty("id").GetString()!));
        Assert.False((await blob.ExistsAsync()).Value);
    }

    [Theory]
    [InlineData("image/png", "qualification", "format-not-allowed")] // a PNG is fine for a certificate, but this one is a CSV
    [InlineData("application/pdf", "catalog", "")] // refused at the request: a catalog is not a PDF
    public async Task AFormatTheKindDoesNotTakeIsRefused(string contentType, string kind, string completionCode)
    {
        var content = UniqueCsv();
        using var response = await app.Xihu.PostAsync(new Uri("/api/bureau/documents/upload-url", UriKind.Relative), DocumentsApp.JsonContent(
            $$"""{"kind":"{{kind}}","fileName":"x","contentType":"{{contentType}}","size":{{content.Length}}}"""));
        if (completionCode.Length == 0)
        {
            Problem.FieldError(await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed"), "contentType", "unsupported-type");
            return;
        }
        var ticket = await DocumentsApp.JsonAsync(response, HttpStatusCode.Created);
        using (var put = await app.PutAsync(ticket, content))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        using var complete = await app.Xihu.PostAsync(new Uri(ticket.GetProperty("completeUrl").GetString()!, UriKind.Relative), null);
        await Problem.AssertAsync(complete, HttpStatusCode.UnprocessableEntity, "type-mismatch");
    }

    [Fact]
    public async Task AFileOfAnotherSizeThanDeclaredIsRejected()
    {
        var content = UniqueCsv();
        var ticket = await DocumentsApp.TicketAsync(app.Xihu, Csv, content.Length + 10);
        using (var put = await app.PutAsync(ticket, content))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        using var complete = await app.Xihu.PostAsync(new Uri(ticket.GetProperty("completeUrl").GetString()!, UriKind.Relative), null);
        await Problem.AssertAsync(complete, HttpStatusCode.UnprocessableEntity, "size-mismatch");
    }

    [Fact]
    public async Task AFileLargerThanTheLimitIsRejectedAtCompletionEvenWhenItsDeclaredSizeWasSmall()
    {
        var big = new byte[DocumentsApp.MaxUploadBytes + 1];
        Array.Fill(big, (byte)'a');
        var ticket = await DocumentsApp.TicketAsync(app.Xihu, Csv, 100);
        using (var put = await app.PutAsync(ticket, big))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        using var complete = await app.Xihu.PostAsync(new Uri(ticket.GetProperty("completeUrl").GetString()!, UriKind.Relative), null);
        await Problem.AssertAsync(complete, HttpStatusCode.UnprocessableEntity, "file-too-large");
    }

    [Theory]
    [InlineData("""{"kind":"catalog","fileName":"a.csv","contentType":"text/csv","size":0}""", "size", "out-of-range")]
    [InlineData("""{"kind":"catalog","fileName":"a.csv","contentType":"text/csv","size":262145}""", "size", "out-of-range")]
    [InlineData("""{"kind":"catalog","fileName":"a.csv","contentType":"text/csv"}""", "size", "required")]
    [InlineData("""{"kind":"contract","fileName":"a.csv","contentType":"text/csv","size":5}""", "kind", "unknown-code")]
    [InlineData("""{"kind":"catalog","fileName":"  ","contentType":"text/csv","size":5}""", "fileName", "required")]
    [InlineData("""{"kind":"catalog","fileName":"a.exe","contentType":"application/x-msdownload","size":5}""", "contentType", "unsupported-type")]
    [InlineData("""{"kind":"catalog","fileName":"a.csv","contentType":"text/csv; x=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","size":5}""", "contentType", "too-long")]
    [InlineData("""{"kind":"qualification","fileName":"a.pdf","contentType":"application/pdf","size":5,"carrierId":"no-such-carrier"}""", "carrierId", "unknown-carrier")]
    [InlineData("""{"kind":"catalog","fileName":"a.csv","contentType":"text/csv","size":5,"carrierId":"xihu-001"}""", "carrierId", "not-allowed")]
    public async Task AnUploadRequestIsCheckedFieldByField(string body, string field, string code)
    {
        using var response = await app.Xihu.PostAsync(new Uri("/api/bureau/documents/upload-url", UriKind.Relative), DocumentsApp.JsonContent(body));
        Problem.FieldError(await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed"), field, code);
    }

    [Fact]
    public async Task ADocumentAboutACarrierOutsideTheJurisdictionIsRefused()
    {
        var binjiangCarrier = ServerlessInnovation.Domain.Catalog.DemoCatalog.Hangzhou().Carriers.First(c => c.DistrictCode == "binjiang");
        using var response = await DocumentsApp.UploadAsync(app.Xihu, UniquePdf(), Pdf, "qualification", "证书.pdf", binjiangCarrier.Id);
        Problem.FieldError(await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed"), "carrierId", "outside-jurisdiction");

        // The city bureau covers Binjiang: the same document is kept, attached to the carrier.
        using var city = await DocumentsApp.UploadAsync(app.City, UniquePdf(), Pdf, "qualification", "证书.pdf", binjiangCarrier.Id);
        var document = await DocumentsApp.JsonAsync(city, HttpStatusCode.OK);
        Assert.Equal("stored", Status(document));
        Assert.Equal(binjiangCarrier.Id, document.GetProperty("carrierId").GetString());
        Assert.Equal("pdf", document.GetProperty("format").GetString());
    }

    [Fact]
    public async Task ADirectUploadIsStoredCheckedAndItsDownloadUrlGivesBackTheSameBytes()
    {
        var pdf = UniquePdf();
        using var response = await DocumentsApp.UploadAsync(app.Xihu, pdf, Pdf, "policy", "关于印发《孵化器管理办法》的通知.pdf");
        var stored = await DocumentsApp.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("stored", Status(stored));
        Assert.Equal("关于印发《孵化器管理办法》的通知.pdf", stored.GetProperty("fileName").GetString());
        Assert.Equal(DocumentsApp.Sha256(pdf), stored.GetProperty("sha256").GetString());
        Assert.Equal("xihu API key", stored.GetProperty("uploadedBy").GetString());

        var document = await GetAsync(app.Xihu, stored.GetProperty("id").GetString()!);
        var download = document.GetProperty("links").GetProperty("download").GetString()!;
        Assert.Contains("sp=r&", download, StringComparison.Ordinal);
        Assert.Equal(pdf, await app.Storage.GetByteArrayAsync(new Uri(download)));
    }

    [Fact]
    public async Task ADirectUploadOverTheLimitIsRefusedBeforeReadingWhenDeclaredAndWhileReadingWhenNot()
    {
        var big = new byte[DocumentsApp.MaxDirectUploadBytes + 1];
        Array.Fill(big, (byte)'a');
        using (var declared = await DocumentsApp.UploadAsync(app.Xihu, big, Csv))
        {
            await Problem.AssertAsync(declared, HttpStatusCode.RequestEntityTooLarge, "file-too-large");
        }

        // Chunked, no Content-Length: the body is refused once it passes the limit; nothing is committed.
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bureau/documents?kind=catalog&fileName=big.csv") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response = await app.Xihu.SendAsync(request);
        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "file-too-large");
        var list = await ListAsync(app.Xihu, 100);
        var rejected = list.GetProperty("items").EnumerateArray().First(d => d.GetProperty("fileName").GetString() == "big.csv");
        Assert.Equal("rejected", Status(rejected));
        var blob = app.Factory.Services.GetRequiredService<ServerlessInnovation.Functions.Documents.DocumentStore>()
            .Blob(ServerlessInnovation.Functions.Documents.DocumentRecord.SourceBlobOf("xihu", rejected.GetProperty("id").GetString()!));
        Assert.False((await blob.ExistsAsync()).Value);
    }

    [Theory]
    [InlineData("..\\..\\windows\\system32\\名录.csv", "名录.csv")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("report\u202Egpj.exe.csv", "reportgpj.exe.csv")]
    [InlineData("a\u0000b\r\nc\t.csv", "abc.csv")]
    [InlineData("....", "document")]
    public async Task FileNamesLoseTheirPathsAndControlCharacters(string given, string stored)
    {
        var content = UniqueCsv();
        using var response = await DocumentsApp.UploadAsync(app.Xihu, content, Csv, fileName: given);
        var document = await DocumentsApp.JsonAsync(response, HttpStatusCode.Accepted);
        Assert.Equal(stored, document.GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task TheSameFileAgainIsADuplicateOfTheFirstAndIsNotQueued()
    {
        var content = UniqueCsv();
        using var first = await DocumentsApp.UploadAsync(app.Xihu, content, Csv);
        var firstId = (await DocumentsApp.JsonAsync(first, HttpStatusCode.Accepted)).GetProperty("id").GetString();
        using var second = await DocumentsApp.UploadAsync(app.Xihu, content, Csv, fileName: "名录（再次）.csv");
        var duplicate = await DocumentsApp.JsonAsync(second, HttpStatusCode.OK);
        Assert.Equal("duplicate", Status(duplicate));
        Assert.Equal(firstId, duplicate.GetProperty("duplicateOf").GetString());
        Assert.Equal($"/api/bureau/documents/{firstId}", duplicate.GetProperty("links").GetProperty("earlier").GetString());

        // Another bureau uploading the same bytes is not a duplicate of Xihu's document.
        using var other = await DocumentsApp.UploadAsync(app.Binjiang, content, Csv);
        Assert.Equal("queued", Status(await DocumentsApp.JsonAsync(other, HttpStatusCode.Accepted)));
    }

    [Fact]
    public async Task ABureauListsItsOwnDocumentsNewestFirstPageByPageAndCannotSeeAnothers()
    {
        using var factory = await ApiFactory.WithDemoCatalogAsync();
        (await factory.CreateReadyClientAsync()).Dispose();
        using var xihu = factory.CreateBureauClient("xihu");
        using var binjiang = factory.CreateBureauClient("binjiang");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            factory.Clock.Now = factory.Clock.Now.AddSeconds(1);
            using var response = await DocumentsApp.UploadAsync(xihu, UniquePdf(), Pdf, "policy", $"通知{i}.pdf");
            ids.Add((await DocumentsApp.JsonAsync(response, HttpStatusCode.OK)).GetProperty("id").GetString()!);
        }

        var page1 = await ListAsync(xihu, 2);
        Assert.Equal([ids[2], ids[1]], page1.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        var next = page1.GetProperty("next").GetString()!;
        using var response2 = await xihu.GetAsync(new Uri(next, UriKind.Relative));
        var page2 = await DocumentsApp.JsonAsync(response2, HttpStatusCode.OK);
        Assert.Equal([ids[0]], page2.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("next").ValueKind);

        Assert.Empty((await ListAsync(binjiang, 20)).GetProperty("items").EnumerateArray());
        using var foreign = await binjiang.GetAsync(new Uri($"/api/bureau/documents/{ids[0]}", UriKind.Relative));
        await Problem.AssertAsync(foreign, HttpStatusCode.NotFound, "not-found");
        using var foreignComplete = await binjiang.PostAsync(new Uri($"/api/bureau/documents/{ids[0]}/complete", UriKind.Relative), null);
        await Problem.AssertAsync(foreignComplete, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=../../x", "after")]
    public async Task ListingParametersAreChecked(string query, string field)
    {
        using var response = await app.Xihu.GetAsync(new Uri("/api/bureau/documents?" + query, UriKind.Relative));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("/api/bureau/documents/not-an-id")]
    [InlineData("/api/bureau/documents/0000000000000-0000000000000000")]
    public async Task AnUnknownDocumentIsNotFound(string path)
    {
        using var response = await app.Xihu.GetAsync(new Uri(path, UriKind.Relative));
        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task TheTemplatesCarryTheHeaderRow()
    {
        var csv = await app.Xihu.GetByteArrayAsync(new Uri("/api/bureau/templates/catalog.csv", UriKind.Relative));
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        Assert.StartsWith("载体编号,载体名称", Encoding.UTF8.GetString(csv[3..]), StringComparison.Ordinal);

        using var xlsx = await app.Xihu.GetAsync(new Uri("/api/bureau/templates/catalog.xlsx", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK\u0003\u0004"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync())[..4]);

        using var other = await app.Xihu.GetAsync(new Uri("/api/bureau/templates/catalog.docx", UriKind.Relative));
        await Problem.AssertAsync(other, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task AnIngestionThatKeepsFailingIsMarkedFailedOnItsLastAttemptAndTheSameFileMayComeAgain()
    {
        var content = UniqueCsv();
        using var upload = await DocumentsApp.UploadAsync(app.Xihu, content, Csv);
        var id = (await DocumentsApp.JsonAsync(upload, HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        // The file is gone (say, deleted by hand): every attempt fails.
        var store = app.Factory.Services.GetRequiredService<ServerlessInnovation.Functions.Documents.DocumentStore>();
        await store.Blob(ServerlessInnovation.Functions.Documents.DocumentRecord.SourceBlobOf("xihu", id)).DeleteAsync();
        using var scope = app.Factory.Services.CreateScope();
        var handler = scope.ServiceProvider.GetRequiredKeyedService<ServerlessInnovation.Functions.Hosting.IQueueTriggerHandler>(
            ServerlessInnovation.Functions.IngestDocument.IngestDocumentHandler.Name);
        var message = $$"""{"bureau":"xihu","documentId":"{{id}}"}""";

        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(new("m", message, 1, null, null, null, null), CancellationToken.None));
        Assert.Equal("ingesting", Status(await GetAsync(app.Xihu, id)));

        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(new("m", message, 5, null, null, null, null), CancellationToken.None));
        var failed = await GetAsync(app.Xihu, id);
        Assert.Equal("failed", Status(failed));
        Assert.Equal("ingestion-error", failed.GetProperty("problem").GetProperty("code").GetString());

        using var again = await DocumentsApp.UploadAsync(app.Xihu, content, Csv);
        Assert.Equal("queued", Status(await DocumentsApp.JsonAsync(again, HttpStatusCode.Accepted)));
    }

    private static async Task<JsonElement> GetAsync(HttpClient bureau, string id)
    {
        using var response = await bureau.GetAsync(new Uri($"/api/bureau/documents/{id}", UriKind.Relative));
        return await DocumentsApp.JsonAsync(response, HttpStatusCode.OK);
    }

    private static async Task<JsonElement> ListAsync(HttpClient bureau, int limit)
    {
        using var response = await bureau.GetAsync(new Uri($"/api/bureau/documents?limit={limit}", UriKind.Relative));
        return await DocumentsApp.JsonAsync(response, HttpStatusCode.OK);
    }
}
