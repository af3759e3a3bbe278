using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core.Pipeline;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>What goes on the wire for each blob operation, and how answers become results and exceptions.</summary>
public sealed class BlobClientTransportTests
{
    private const string Endpoint = "http://127.0.0.1:10000/devstoreaccount1";
    private const string ETagValue = "\"0x8DD2A1B2C3D4E5F\"";
    private static readonly ETag ExpectedETag = new("0x8DD2A1B2C3D4E5F");
    private const string LastModified = "Sun, 22 Nov 2026 01:55:16 GMT";

    internal static BlobServiceClient Service(StubHttpHandler handler, string endpoint = Endpoint, TimeProvider? time = null) =>
        new(new Uri(endpoint), new StorageSharedKeyCredential(TestKeys.AccountName, TestKeys.AccountKey), handler.CreateOptions<BlobClientOptions>(time));

    private static BlobClient Blob(StubHttpHandler handler, string name = "dir/a b.txt") =>
        Service(handler).GetBlobContainerClient("mycontainer").GetBlobClient(name);

    private static HttpResponseMessage Created(RecordedRequest _) =>
        StubHttpHandler.Response(HttpStatusCode.Created, null, ("ETag", ETagValue), ("Last-Modified", LastModified));

    private static string XmlError(string code, string message) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Error><Code>{code}</Code><Message>{message}\nRequestId:1\nTime:2026-11-22T01:55:16.000Z</Message></Error>";

    private static BlobUploadOptions InBlocksOf(int blockSize, int concurrency = 4, bool overwrite = false) => new()
    {
        Overwrite = overwrite,
        TransferOptions = new StorageTransferOptions { InitialTransferSize = blockSize, MaximumTransferSize = blockSize, MaximumConcurrency = concurrency },
    };

    [Fact]
    public async Task SmallUploadIsOneCreateOnlyPutBlobWithItsTypeAndMetadataAndTheServicesMd5()
    {
        var handler = new StubHttpHandler().Then(request => StubHttpHandler.Response(HttpStatusCode.Created, null,
            ("ETag", ETagValue), ("Last-Modified", LastModified), ("Content-MD5", Convert.ToBase64String(MD5.HashData(request.Content!)))));
        var content = Encoding.UTF8.GetBytes("hello, bureau");

        var response = await Blob(handler).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
        {
            ContentType = "text/plain",
            Metadata = new Dictionary<string, string> { ["owner"] = "me" },
        });

        var request = Assert.Single(handler.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal($"{Endpoint}/mycontainer/dir/a%20b.txt", request.Uri.AbsoluteUri);
        Assert.Equal("BlockBlob", request.Header("x-ms-blob-type"));
        Assert.Equal("*", request.Header("If-None-Match"));
        Assert.Null(request.Header("If-Match"));
        Assert.Null(request.Header("Content-MD5"));
        Assert.Equal("text/plain", request.Header("Content-Type"));
        Assert.Equal("me", request.Header("x-ms-meta-owner"));
        Assert.Equal("2025-11-05", request.Header("x-ms-version"));
        Assert.Equal(content, request.Content);
        Assert.Equal(ExpectedETag, response.Value.ETag);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 55, 16, TimeSpan.Zero), response.Value.LastModified);
        Assert.Equal(MD5.HashData(content), response.Value.ContentHash);
    }

    [Fact]
    public async Task EveryRequestIsSignedWithBlobSharedKey()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created);

        await Service(handler).GetBlobContainerClient("mycontainer").CreateIfNotExistsAsync();

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"{Endpoint}/mycontainer?restype=container", request.Uri.AbsoluteUri);
        Assert.Equal(
            SharedKey(request, "devstoreaccount1", "PUT\n\n\n\n\n\n\n\n\n\n\n\n", "/devstoreaccount1/devstoreaccount1/mycontainer\nrestype:container"),
            request.Header("Authorization"));
    }

    [Fact]
    public async Task OverwriteSendsTheCallersConditionsInsteadOfCreateOnly()
    {
        var handler = new StubHttpHandler().Then(Created);

        await Blob(handler).UploadAsync(new byte[3], new BlobUploadOptions
        {
            Overwrite = true,
            Conditions = new BlobRequestConditions { IfMatch = new ETag(ETagValue), LeaseId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" },
        });

        var request = Assert.Single(handler.Requests);
        Assert.Null(request.Header("If-None-Match"));
        Assert.Equal(ETagValue, request.Header("If-Match"));
        Assert.Equal("3f2504e0-4f89-11d3-9a0c-0305e82c3301", request.Header("x-ms-lease-id"));
    }

    [Fact]
    public async Task CreateOnlyUploadRefusesConditionsItCannotHonour()
    {
        var handler = new StubHttpHandler().Then(Created);
        var blob = Blob(handler);

        await Assert.ThrowsAsync<ArgumentException>(() => blob.UploadAsync(new byte[1],
            new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(ETagValue) } }));
        await Assert.ThrowsAsync<ArgumentException>(() => blob.UploadAsync(new byte[1],
            new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task CreateOnlyUploadOfAnExistingBlobIsAConflict()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Conflict,
            XmlError("BlobAlreadyExists", "The specified blob already exists."), ("x-ms-error-code", "BlobAlreadyExists"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Blob(handler).UploadAsync(new byte[1]));

        Assert.Equal(409, exception.Status);
        Assert.Equal("BlobAlreadyExists", exception.ErrorCode);
        Assert.StartsWith("The specified blob already exists.", exception.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task ACreateOnlyUploadIsNotRepeatedAfterAServerErrorButAnOverwriteAndABlockAre()
    {
        var createOnly = new StubHttpHandler().Then(HttpStatusCode.InternalServerError).Then(Created);
        var overwrite = new StubHttpHandler().Then(HttpStatusCode.InternalServerError).Then(Created);
        var blocks = new StubHttpHandler().Then(HttpStatusCode.InternalServerError).Then(Created);

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Blob(createOnly).UploadAsync(new byte[3]));
        await Blob(overwrite).UploadAsync(new byte[3], new BlobUploadOptions { Overwrite = true });
        await Blob(blocks).UploadAsync(new GeneratedStream(8, seed: 3), InBlocksOf(4, concurrency: 1));

        Assert.Equal(500, exception.Status);
        Assert.Single(createOnly.Requests);
        Assert.Equal(2, overwrite.Requests.Count);
        Assert.Equal(["block", "block", "block", "blocklist"], blocks.Requests.Select(r => Query(r)["comp"]));
        Assert.Equal(blocks.Requests[0].Uri, blocks.Requests[1].Uri);
        Assert.Equal(blocks.Requests[0].Content, blocks.Requests[1].Content);
    }

    [Fact]
    public async Task ACreateOnlyCommitIsNotRepeatedAfterAServerError()
    {
        var handler = new StubHttpHandler().Then(Created).Then(Created).Then(HttpStatusCode.InternalServerError).Then(Created);

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Blob(handler).UploadAsync(new GeneratedStream(8, seed: 3), InBlocksOf(4, 1)));

        Assert.Equal(500, exception.Status);
        Assert.Equal(["block", "block", "blocklist"], handler.Requests.Select(r => Query(r)["comp"]));
    }

    [Fact]
    public async Task AStreamOfUnknownLengthGoesUpInFixedSizeBlocksThenOneCommit()
    {
        var handler = new StubHttpHandler().Then(Created);
        using var source = new GeneratedStream(10, seed: 5);

        var response = await Blob(handler).UploadAsync(source, new BlobUploadOptions
        {
            ContentType = "application/pdf",
            Metadata = new Dictionary<string, string> { ["stage"] = "final" },
            TransferOptions = new StorageTransferOptions { InitialTransferSize = 100, MaximumTransferSize = 4, MaximumConcurrency = 2 },
        });

        var blocks = handler.Requests.Where(r => Query(r)["comp"] == "block").ToList();
        var commit = Assert.Single(handler.Requests, r => Query(r)["comp"] == "blocklist");
        Assert.Equal(4, handler.Requests.Count);
        var ids = blocks.Select(r => Query(r)["blockid"]).ToList();
        Assert.All(ids, id => Assert.Equal(32, id.Length));
        Assert.Equal(3, ids.Distinct().Count());
        var ordered = ids.OrderBy(id => Convert.FromBase64String(id)[^1]).ToList();
        Assert.Equal([0, 1, 2], ordered.Select(id => (int)Convert.FromBase64String(id)[^1]));
        Assert.Single(ordered.Select(id => Convert.ToBase64String(Convert.FromBase64String(id)[..16])).Distinct());
        var bodies = ordered.Select(id => blocks.Single(r => Query(r)["blockid"] == id).Content!).ToList();
        Assert.Equal([4, 4, 2], bodies.Select(b => b.Length));
        Assert.All(blocks, r => Assert.Equal(Convert.ToBase64String(MD5.HashData(r.Content!)), r.Header("Content-MD5")));
        Assert.All(blocks, r => Assert.Null(r.Header("x-ms-blob-type")));
        Assert.All(blocks, r => Assert.Null(r.Header("If-None-Match")));
        Assert.Equal(source.Sha256(), SHA256.HashData(bodies.SelectMany(b => b).ToArray()));
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>" + string.Concat(ordered.Select(id => $"<Latest>{id}</Latest>")) + "</BlockList>",
            commit.Body);
        Assert.Equal("PUT", commit.Method);
        Assert.Equal("*", commit.Header("If-None-Match"));
        Assert.Equal("application/xml", commit.Header("Content-Type"));
        Assert.Equal("application/pdf", commit.Header("x-ms-blob-content-type"));
        Assert.Equal(Convert.ToBase64String(source.Md5()), commit.Header("x-ms-blob-content-md5"));
        Assert.Equal("final", commit.Header("x-ms-meta-stage"));
        Assert.Equal(source.Md5(), response.Value.ContentHash);
        Assert.All(handler.Requests, r => Assert.Equal("2025-11-05", r.Header("x-ms-version")));
    }

    [Fact]
    public async Task BlockIdsAreEscapedInTheQueryAndSignedDecoded()
    {
        var handler = new StubHttpHandler().Then(Created);

        // Block 62's id ends in '+' and block 63's in '/': the index is the id's last six bits.
        await Blob(handler, "big.bin").UploadAsync(new GeneratedStream(64, seed: 1), InBlocksOf(1, concurrency: 1));

        var block = handler.Requests[62];
        var blockId = Query(block)["blockid"];
        Assert.EndsWith("+", blockId, StringComparison.Ordinal);
        Assert.EndsWith("/", Query(handler.Requests[63])["blockid"], StringComparison.Ordinal);
        Assert.EndsWith("%2B", block.Uri.Query, StringComparison.Ordinal);
        Assert.EndsWith("%2F", handler.Requests[63].Uri.Query, StringComparison.Ordinal);
        Assert.Equal(
            SharedKey(block, "devstoreaccount1", $"PUT\n\n\n1\n{block.Header("Content-MD5")}\n\n\n\n\n\n\n\n",
                $"/devstoreaccount1/devstoreaccount1/mycontainer/big.bin\nblockid:{blockId}\ncomp:block"),
            block.Header("Authorization"));
        Assert.Contains($"<Latest>{blockId}</Latest>", handler.Requests[64].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamOfUnknownLengthThatEndsWithinItsFirstBlockIsOnePutBlob()
    {
        var handler = new StubHttpHandler().Then(Created);

        await Blob(handler).UploadAsync(new GeneratedStream(3, seed: 2), InBlocksOf(4));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("BlockBlob", request.Header("x-ms-blob-type"));
        Assert.Equal(3, request.Content!.Length);
        Assert.Equal("", request.Uri.Query);
    }

    [Fact]
    public async Task ASeekableStreamIsSentFromItsPositionInOneRequestAndResentWholeOnRetry()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.ServiceUnavailable).Then(Created);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("skip:the content"));
        stream.Position = 5;

        await Blob(handler).UploadAsync(stream, new BlobUploadOptions { TransferOptions = new StorageTransferOptions { InitialTransferSize = 11 } });

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("the content", r.Body));
        Assert.All(handler.Requests, r => Assert.Null(r.Header("Content-MD5")));
        Assert.True(stream.CanRead);
    }

    [Fact]
    public async Task ASeekableStreamLongerThanTheInitialTransferSizeGoesUpInBlocks()
    {
        var handler = new StubHttpHandler().Then(Created);

        await Blob(handler).UploadAsync(new MemoryStream(new byte[12]), InBlocksOf(5, 1));

        Assert.Equal(["block", "block", "block", "blocklist"], handler.Requests.Select(r => Query(r)["comp"]));
    }

    [Fact]
    public async Task NoMoreBlocksAreInFlightThanTheConcurrencyAllows()
    {
        var transport = new SlowTransport(TimeSpan.FromMilliseconds(40));
        var options = new BlobClientOptions { Transport = new HttpClientTransport(transport) };
        var blob = new BlobServiceClient(new Uri(Endpoint), new StorageSharedKeyCredential(TestKeys.AccountName, TestKeys.AccountKey), options)
            .GetBlobContainerClient("mycontainer").GetBlobClient("big.bin");

        await blob.UploadAsync(new GeneratedStream(12, seed: 4), InBlocksOf(2, concurrency: 3));

        Assert.Equal(7, transport.Requests);
        Assert.Equal(3, transport.MostInFlight);
    }

    [Fact]
    public async Task AFailedBlockStopsTheUploadAndNothingIsCommitted()
    {
        var handler = new StubHttpHandler().Then(Created).Then(HttpStatusCode.Forbidden,
            XmlError("AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission."),
            ("x-ms-error-code", "AuthorizationPermissionMismatch"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => Blob(handler).UploadAsync(new GeneratedStream(40, seed: 1), InBlocksOf(4, 1)));

        Assert.Equal("AuthorizationPermissionMismatch", exception.ErrorCode);
        Assert.Equal(2, handler.Requests.Count);
        Assert.DoesNotContain(handler.Requests, r => Query(r)["comp"] == "blocklist");
    }

    [Fact]
    public async Task ContentNeedingMoreThanFiftyThousandBlocksIsRefusedBeforeSending()
    {
        var handler = new StubHttpHandler().Then(Created);

        var exception = await Assert.ThrowsAsync<ArgumentException>(
            () => Blob(handler).UploadAsync(new MemoryStream(new byte[50_001]), InBlocksOf(1)));

        Assert.Contains("50000 blocks", exception.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(0L, null, null)]
    [InlineData(5001L * 1024 * 1024, null, null)]
    [InlineData(null, 0, null)]
    [InlineData(null, 257 * 1024 * 1024, null)]
    [InlineData(null, null, 0)]
    [InlineData(null, null, 65)]
    public async Task TransferOptionsOutsideTheirRangesAreRefused(long? initial, int? blockSize, int? concurrency)
    {
        var handler = new StubHttpHandler().Then(Created);
        var options = new BlobUploadOptions
        {
            TransferOptions = new StorageTransferOptions { InitialTransferSize = initial, MaximumTransferSize = blockSize, MaximumConcurrency = concurrency },
        };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Blob(handler).UploadAsync(new byte[1], options));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task StreamingDownloadReturnsBeforeTheBodyHasArrived()
    {
        var body = new Pipe();
        var handler = new StubHttpHandler().Then(_ =>
        {
            var response = StubHttpHandler.Response(HttpStatusCode.PartialContent, null,
                ("ETag", ETagValue), ("Last-Modified", LastModified), ("x-ms-meta-owner", "me"), ("x-ms-blob-content-md5", "70xVOe9ESGWXKownzgcaMQ=="));
            response.Content = new StreamContent(body.Reader.AsStream());
            response.Content.Headers.TryAddWithoutValidation("Content-Range", "bytes 6-12/29");
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/plain");
            response.Content.Headers.ContentLength = 7;
            return response;
        });

        var download = await Blob(handler).DownloadStreamingAsync(new HttpRange(6, 7)).WaitAsync(TimeSpan.FromSeconds(10));
        await body.Writer.WriteAsync("6789abc"u8.ToArray());
        await body.Writer.CompleteAsync();
        using var result = download.Value;
        using var reader = new StreamReader(result.Content);

        Assert.Equal("6789abc", await reader.ReadToEndAsync());
        var request = Assert.Single(handler.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("bytes=6-12", request.Header("x-ms-range"));
        Assert.Null(request.Header("Range"));
        Assert.Equal(7, result.Details.ContentLength);
        Assert.Equal("bytes 6-12/29", result.Details.ContentRange);
        Assert.Equal("text/plain", result.Details.ContentType);
        Assert.Equal(Convert.FromBase64String("70xVOe9ESGWXKownzgcaMQ=="), result.Details.ContentHash);
        Assert.Equal(ExpectedETag, result.Details.ETag);
        Assert.Equal("me", result.Details.Metadata["owner"]);
    }

    [Fact]
    public async Task DownloadOfTheWholeBlobSendsNoRangeAndReadsTheConditionsBack()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, "<p>whole</p>", ("ETag", ETagValue), ("Content-MD5", "70xVOe9ESGWXKownzgcaMQ=="));

        var result = (await Blob(handler).DownloadContentAsync(conditions: new BlobRequestConditions { IfMatch = new ETag(ETagValue) })).Value;

        Assert.Equal("<p>whole</p>", result.Content.ToString());
        Assert.Equal(Convert.FromBase64String("70xVOe9ESGWXKownzgcaMQ=="), result.Details.ContentHash);
        var request = Assert.Single(handler.Requests);
        Assert.Null(request.Header("x-ms-range"));
        Assert.Equal(ETagValue, request.Header("If-Match"));
    }

    [Fact]
    public async Task DownloadOfAMissingBlobThrowsNotFoundWithTheServicesMessage()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NotFound,
            XmlError("BlobNotFound", "The specified blob does not exist."), ("x-ms-error-code", "BlobNotFound"));

        var streaming = await Assert.ThrowsAsync<RequestFailedException>(() => Blob(handler).DownloadStreamingAsync());
        var buffered = await Assert.ThrowsAsync<RequestFailedException>(() => Blob(handler).DownloadContentAsync());

        Assert.Equal((404, "BlobNotFound"), (streaming.Status, streaming.ErrorCode));
        Assert.StartsWith("The specified blob does not exist.", streaming.Message, StringComparison.Ordinal);
        Assert.Equal((404, "BlobNotFound"), (buffered.Status, buffered.ErrorCode));
    }

    [Fact]
    public async Task ADownloadOfAnUnchangedBlobIsReportedAsNotModified()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.NotModified, null, ("x-ms-error-code", "ConditionNotMet"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(
            () => Blob(handler).DownloadStreamingAsync(conditions: new BlobRequestConditions { IfNoneMatch = new ETag(ETagValue) }));

        Assert.Equal((304, "ConditionNotMet"), (exception.Status, exception.ErrorCode));
        Assert.Equal(ETagValue, Assert.Single(handler.Requests).Header("If-None-Match"));
    }

    [Fact]
    public async Task RangesAndReadConditionsAreCheckedBeforeSending()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, "x");
        var blob = Blob(handler);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blob.DownloadStreamingAsync(new HttpRange(long.MaxValue - 1, 3)));
        await Assert.ThrowsAsync<ArgumentException>(() => blob.DownloadContentAsync(conditions: new BlobRequestConditions { IfNoneMatch = ETag.All }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpRange(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpRange(0, 0));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task PropertiesComeFromTheHeadersOfAHeadRequest()
    {
        var handler = new StubHttpHandler().Then(_ =>
        {
            var response = StubHttpHandler.Response(HttpStatusCode.OK, null, ("ETag", ETagValue), ("Last-Modified", LastModified),
                ("x-ms-meta-Applicant", "hz001"), ("x-ms-lease-state", "leased"), ("x-ms-lease-status", "locked"), ("x-ms-lease-duration", "infinite"),
                ("Content-MD5", "70xVOe9ESGWXKownzgcaMQ=="), ("x-ms-blob-type", "BlockBlob"));
            response.Content!.Headers.ContentLength = 1234;
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/pdf");
            return response;
        });

        var properties = (await Blob(handler).GetPropertiesAsync()).Value;

        Assert.Equal("HEAD", Assert.Single(handler.Requests).Method);
        Assert.Equal(1234, properties.ContentLength);
        Assert.Equal("application/pdf", properties.ContentType);
        Assert.Equal(Convert.FromBase64String("70xVOe9ESGWXKownzgcaMQ=="), properties.ContentHash);
        Assert.Equal(ExpectedETag, properties.ETag);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 55, 16, TimeSpan.Zero), properties.LastModified);
        Assert.Equal("hz001", properties.Metadata["applicant"]);
        Assert.Equal((LeaseState.Leased, LeaseStatus.Locked, LeaseDurationType.Infinite), (properties.LeaseState, properties.LeaseStatus, properties.LeaseDuration));
    }

    [Fact]
    public async Task ExistsIsFalseForAMissingBlobOrContainerAndThrowsForOtherFailures()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.OK)
            .Then(HttpStatusCode.NotFound, null, ("x-ms-error-code", "BlobNotFound"))
            .Then(HttpStatusCode.NotFound, null, ("x-ms-error-code", "ContainerNotFound"))
            .Then(HttpStatusCode.Forbidden, null, ("x-ms-error-code", "AuthorizationFailure"));
        var blob = Blob(handler);

        Assert.True((await blob.ExistsAsync()).Value);
        Assert.False((await blob.ExistsAsync()).Value);
        Assert.False((await blob.ExistsAsync()).Value);
        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => blob.ExistsAsync());

        Assert.Equal("AuthorizationFailure", exception.ErrorCode);
        Assert.All(handler.Requests, r => Assert.Equal("HEAD", r.Method));
    }

    [Fact]
    public async Task SetMetadataPutsAllTheMetadataWithTheLeaseId()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, null, ("ETag", ETagValue), ("Last-Modified", LastModified));

        var info = (await Blob(handler).SetMetadataAsync(new Dictionary<string, string> { ["stage"] = "final", ["n2"] = "" },
            new BlobRequestConditions { LeaseId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" })).Value;

        var request = Assert.Single(handler.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("?comp=metadata", request.Uri.Query);
        Assert.Equal("final", request.Header("x-ms-meta-stage"));
        Assert.Equal("", request.Header("x-ms-meta-n2"));
        Assert.Equal("3f2504e0-4f89-11d3-9a0c-0305e82c3301", request.Header("x-ms-lease-id"));
        Assert.Equal(ExpectedETag, info.ETag);
    }

    [Fact]
    public async Task DeleteSendsItsConditionsAndDeleteIfExistsToleratesAbsenceOnly()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.Accepted)
            .Then(HttpStatusCode.NotFound, XmlError("BlobNotFound", "The specified blob does not exist."), ("x-ms-error-code", "BlobNotFound"))
            .Then(HttpStatusCode.PreconditionFailed, XmlError("LeaseIdMissing", "There is currently a lease on the blob and no lease ID was specified in the request."),
                ("x-ms-error-code", "LeaseIdMissing"));
        var blob = Blob(handler);

        var deleted = await blob.DeleteAsync(new BlobRequestConditions { IfMatch = new ETag(ETagValue) });
        var missing = await blob.DeleteIfExistsAsync();
        var leased = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteIfExistsAsync());

        Assert.Equal(202, deleted.Status);
        Assert.False(missing.Value);
        Assert.Equal((412, "LeaseIdMissing"), (leased.Status, leased.ErrorCode));
        Assert.All(handler.Requests, r => Assert.Equal("DELETE", r.Method));
        Assert.Equal(ETagValue, handler.Requests[0].Header("If-Match"));
    }

    [Fact]
    public async Task ContainerCreateAndDeleteReportWhetherTheyChangedAnything()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.Created)
            .Then(HttpStatusCode.Conflict, XmlError("ContainerAlreadyExists", "The specified container already exists."), ("x-ms-error-code", "ContainerAlreadyExists"))
            .Then(HttpStatusCode.Conflict, XmlError("ContainerBeingDeleted", "The specified container is being deleted."), ("x-ms-error-code", "ContainerBeingDeleted"))
            .Then(HttpStatusCode.Accepted)
            .Then(HttpStatusCode.NotFound, XmlError("ContainerNotFound", "The specified container does not exist."), ("x-ms-error-code", "ContainerNotFound"));
        var container = Service(handler).GetBlobContainerClient("mycontainer");

        Assert.True(await container.CreateIfNotExistsAsync());
        Assert.False(await container.CreateIfNotExistsAsync());
        var beingDeleted = await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateIfNotExistsAsync());
        Assert.True((await container.DeleteIfExistsAsync()).Value);
        Assert.False((await container.DeleteIfExistsAsync()).Value);

        Assert.Equal("ContainerBeingDeleted", beingDeleted.ErrorCode);
        Assert.Equal(["PUT", "PUT", "PUT", "DELETE", "DELETE"], handler.Requests.Select(r => r.Method));
        Assert.All(handler.Requests, r => Assert.Equal($"{Endpoint}/mycontainer?restype=container", r.Uri.AbsoluteUri));
    }

    [Fact]
    public async Task ListingFollowsTheMarkerAndReadsEachBlob()
    {
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.OK, ListPage(null, "dir/a b.txt", ("dir/a b.txt", 29, "mMZ9r3w2Jb3Ykx6vXY1uVA==", "owner", "me")))
            .Then(HttpStatusCode.OK, ListPage("dir/a b.txt", null, ("dir/c.txt", 0, null, null, null)));
        var container = Service(handler).GetBlobContainerClient("mycontainer");

        var blobs = new List<BlobItem>();
        await foreach (var blob in container.GetBlobsAsync(prefix: "dir/", pageSize: 1, traits: BlobTraits.Metadata))
        {
            blobs.Add(blob);
        }

        Assert.Equal(["dir/a b.txt", "dir/c.txt"], blobs.Select(b => b.Name));
        Assert.Equal(
            [
                $"{Endpoint}/mycontainer?restype=container&comp=list&prefix=dir%2F&maxresults=1&include=metadata",
                $"{Endpoint}/mycontainer?restype=container&comp=list&prefix=dir%2F&maxresults=1&marker=dir%2Fa%20b.txt&include=metadata",
            ],
            handler.Requests.Select(r => r.Uri.AbsoluteUri));
        var first = blobs[0];
        Assert.Equal(29, first.Properties.ContentLength);
        Assert.Equal("text/plain", first.Properties.ContentType);
        Assert.Equal(Convert.FromBase64String("mMZ9r3w2Jb3Ykx6vXY1uVA=="), first.Properties.ContentHash);
        Assert.Equal(ExpectedETag, first.Properties.ETag);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 55, 16, TimeSpan.Zero), first.Properties.LastModified);
        Assert.Equal("me", first.Metadata["owner"]);
        Assert.Null(blobs[1].Properties.ContentHash);
        Assert.Empty(blobs[1].Metadata);
    }

    [Fact]
    public async Task ListingPagesExposeTheirMarkerAndResumeFromIt()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, ListPage("b", null, ("c", 1, null, null, null)));
        var container = Service(handler).GetBlobContainerClient("mycontainer");

        var pages = new List<Page<BlobItem>>();
        await foreach (var page in container.GetBlobsAsync().AsPages("b", pageSizeHint: 5000))
        {
            pages.Add(page);
        }

        var last = Assert.Single(pages);
        Assert.Null(last.ContinuationToken);
        Assert.Equal("c", Assert.Single(last.Values).Name);
        Assert.Equal($"{Endpoint}/mycontainer?restype=container&comp=list&maxresults=5000&marker=b", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task ListingRefusesAPageSizeOutsideTheServiceRange()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK, ListPage(null, null));
        var container = Service(handler).GetBlobContainerClient("mycontainer");

        Assert.Throws<ArgumentOutOfRangeException>(() => container.GetBlobsAsync(pageSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => container.GetBlobsAsync(pageSize: 5001));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var _ in container.GetBlobsAsync().AsPages(pageSizeHint: 5001))
            {
            }
        });
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task LeaseOperationsSendTheirActionDurationAndIds()
    {
        const string LeaseId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        var handler = new StubHttpHandler()
            .Then(HttpStatusCode.Created, null, ("ETag", ETagValue), ("Last-Modified", LastModified), ("x-ms-lease-id", LeaseId))
            .Then(HttpStatusCode.Created, null, ("ETag", ETagValue), ("Last-Modified", LastModified), ("x-ms-lease-id", LeaseId))
            .Then(HttpStatusCode.OK, null, ("ETag", ETagValue), ("Last-Modified", LastModified), ("x-ms-lease-id", LeaseId))
            .Then(HttpStatusCode.OK, null, ("ETag", ETagValue), ("Last-Modified", LastModified))
            .Then(HttpStatusCode.Accepted, null, ("ETag", ETagValue), ("Last-Modified", LastModified), ("x-ms-lease-time", "7"));
        var lease = Blob(handler).GetBlobLeaseClient(LeaseId);

        var acquired = (await lease.AcquireAsync(TimeSpan.FromSeconds(15))).Value;
        await lease.AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration);
        await lease.RenewAsync();
        await lease.ReleaseAsync();
        var broken = (await lease.BreakAsync(TimeSpan.FromSeconds(7))).Value;

        Assert.Equal(LeaseId, lease.LeaseId);
        Assert.Equal(LeaseId, acquired.LeaseId);
        Assert.Equal(7, broken.LeaseTime);
        Assert.All(handler.Requests, r => Assert.Equal(("PUT", "?comp=lease"), (r.Method, r.Uri.Query)));
        Assert.Equal(["acquire", "acquire", "renew", "release", "break"], handler.Requests.Select(r => r.Header("x-ms-lease-action")));
        Assert.Equal(["15", "-1", null, null, null], handler.Requests.Select(r => r.Header("x-ms-lease-duration")));
        Assert.Equal([LeaseId, LeaseId, null, null, null], handler.Requests.Select(r => r.Header("x-ms-proposed-lease-id")));
        Assert.Equal([null, null, LeaseId, LeaseId, null], handler.Requests.Select(r => r.Header("x-ms-lease-id")));
        Assert.Equal("7", handler.Requests[4].Header("x-ms-lease-break-period"));
    }

    [Fact]
    public async Task AnAcquireWithItsProposedIdIsRetriedAfterAServerError()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.InternalServerError).Then(HttpStatusCode.Created);

        await Blob(handler).GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(handler.Requests[0].Header("x-ms-proposed-lease-id"), handler.Requests[1].Header("x-ms-proposed-lease-id"));
    }

    [Fact]
    public async Task LeaseDurationsAndIdsOutsideTheServiceRulesAreRefused()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Created);
        var lease = Blob(handler).GetBlobLeaseClient();

        foreach (var duration in new[] { TimeSpan.FromSeconds(14), TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(15.5), TimeSpan.Zero, TimeSpan.FromSeconds(-2) })
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lease.AcquireAsync(duration));
        }
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lease.BreakAsync(TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lease.BreakAsync(TimeSpan.FromSeconds(61)));
        Assert.Throws<ArgumentException>(() => Blob(handler).GetBlobLeaseClient("not-a-guid"));

        Assert.Empty(handler.Requests);
        Assert.True(Guid.TryParse(lease.LeaseId, out _));
    }

    [Fact]
    public async Task AUserDelegationKeyIsAskedForWithABearerTokenAndRead()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey><SignedOid>oid-1</SignedOid><SignedTid>tid-1</SignedTid>" +
            "<SignedStart>2026-11-22T01:49:05Z</SignedStart><SignedExpiry>2026-11-22T02:54:05Z</SignedExpiry><SignedService>b</SignedService>" +
            "<SignedVersion>2025-11-05</SignedVersion><Value>a2V5LWJ5dGVz</Value></UserDelegationKey>");
        var service = new BlobServiceClient(new Uri("https://acct.blob.core.windows.net"), new FakeEntraCredential("oid-1", "tid-1"),
            handler.CreateOptions<BlobClientOptions>());

        var key = (await service.GetUserDelegationKeyAsync(null, TestKeys.SigningTime.AddHours(1))).Value;

        var request = Assert.Single(handler.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("https://acct.blob.core.windows.net/?restype=service&comp=userdelegationkey", request.Uri.AbsoluteUri);
        Assert.StartsWith("Bearer ", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><KeyInfo><Start>2026-11-22T01:49:05Z</Start><Expiry>2026-11-22T02:54:05Z</Expiry></KeyInfo>",
            request.Body);
        Assert.Equal(("oid-1", "tid-1", "b", "2025-11-05", "a2V5LWJ5dGVz"), (key.SignedObjectId, key.SignedTenantId, key.SignedService, key.SignedVersion, key.Value));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 49, 5, TimeSpan.Zero), key.SignedStartsOn);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 54, 5, TimeSpan.Zero), key.SignedExpiresOn);
    }

    [Fact]
    public async Task AUserDelegationKeyLastsAtMostSevenDaysAfterItsStart()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.OK);
        var service = new BlobServiceClient(new Uri("https://acct.blob.core.windows.net"), new FakeEntraCredential("o", "t"),
            handler.CreateOptions<BlobClientOptions>());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => service.GetUserDelegationKeyAsync(null, TestKeys.SigningTime.AddDays(7).AddSeconds(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => service.GetUserDelegationKeyAsync(TestKeys.SigningTime, TestKeys.SigningTime));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Service(handler).GetUserDelegationKeyAsync(null, TestKeys.SigningTime.AddHours(1)));

        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1", "devstoreaccount1")]
    [InlineData("https://localhost:10000/devstoreaccount1/", "devstoreaccount1")]
    [InlineData("https://acct.blob.core.windows.net", "acct")]
    [InlineData("http://devstoreaccount1.blob.localhost:10000", "devstoreaccount1")]
    public void TheAccountNameOfABearerClientComesFromItsEndpoint(string endpoint, string account)
    {
        var service = new BlobServiceClient(new Uri(endpoint), new FakeEntraCredential("o", "t"));

        Assert.Equal(account, service.AccountName);
        Assert.Equal(account, service.GetBlobContainerClient("c01").GetBlobClient("x").AccountName);
    }

    [Fact]
    public async Task AProductionEndpointWithATrailingSlashGetsNoDoubleSlashAndSignsTheAccountOnce()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.Accepted);
        var service = new BlobServiceClient(new Uri("https://acct.blob.core.windows.net/"),
            new StorageSharedKeyCredential("acct", TestKeys.AccountKey), handler.CreateOptions<BlobClientOptions>());

        await service.GetBlobContainerClient("docs").GetBlobClient("2026/年报 final.pdf").DeleteAsync();

        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://acct.blob.core.windows.net/docs/2026/%E5%B9%B4%E6%8A%A5%20final.pdf", request.Uri.AbsoluteUri);
        Assert.Equal(
            SharedKey(request, "acct", "DELETE\n\n\n\n\n\n\n\n\n\n\n\n", "/acct/docs/2026/%E5%B9%B4%E6%8A%A5%20final.pdf"),
            request.Header("Authorization"));
    }

    [Fact]
    public async Task ASasClientAppendsTheSignatureToEveryTry()
    {
        var handler = new StubHttpHandler().Then(HttpStatusCode.ServiceUnavailable).Then(Created);
        var service = new BlobServiceClient(new Uri("https://acct.blob.core.windows.net"),
            new AzureSasCredential("?sv=2025-11-05&sr=c&sp=cw&sig=abc%3D"), handler.CreateOptions<BlobClientOptions>());

        await service.GetBlobContainerClient("uploads").GetBlobClient("f.txt").UploadAsync(new byte[2]);

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("https://acct.blob.core.windows.net/uploads/f.txt?sv=2025-11-05&sr=c&sp=cw&sig=abc%3D", r.Uri.AbsoluteUri));
        Assert.All(handler.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    /// <summary>
    /// The Authorization header <paramref name="request"/> must carry: Shared Key over the verb and standard fields given, the
    /// <c>x-ms-</c> headers every request sends (its own client request id, the fixed clock's date) and the resource.
    /// </summary>
    private static string SharedKey(RecordedRequest request, string account, string verbAndStandardFields, string canonicalResource) =>
        $"SharedKey {account}:" + TestKeys.Sign(
            verbAndStandardFields +
            $"x-ms-client-request-id:{request.Header("x-ms-client-request-id")}\nx-ms-date:Sun, 22 Nov 2026 01:54:05 GMT\n" +
            "x-ms-return-client-request-id:true\nx-ms-version:2025-11-05\n" +
            canonicalResource);

    private static Dictionary<string, string> Query(RecordedRequest request) =>
        request.Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair.ElementAtOrDefault(1) ?? ""));

    private static string ListPage(string? marker, string? nextMarker, params (string Name, long Length, string? Md5, string? MetaName, string? MetaValue)[] blobs) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"http://127.0.0.1:10000/devstoreaccount1\" ContainerName=\"mycontainer\">" +
        $"<Prefix>dir/</Prefix><Marker>{marker}</Marker><MaxResults>1</MaxResults><Blobs>" +
        string.Concat(blobs.Select(b =>
            $"<Blob><Name>{b.Name}</Name><Properties><Creation-Time>{LastModified}</Creation-Time><Last-Modified>{LastModified}</Last-Modified>" +
            $"<Etag>{ETagValue.Trim('"')}</Etag><Content-Length>{b.Length}</Content-Length><Content-Type>text/plain</Content-Type>" +
            $"<Content-MD5>{b.Md5}</Content-MD5><BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState></Properties>" +
            (b.MetaName is null ? "" : $"<Metadata><{b.MetaName}>{b.MetaValue}</{b.MetaName}></Metadata>") + "</Blob>")) +
        $"</Blobs><NextMarker>{nextMarker}</NextMarker></EnumerationResults>";

    /// <summary>Answers 201 after a delay, counting how many requests it holds at once.</summary>
    private sealed class SlowTransport(TimeSpan delay) : HttpMessageHandler
    {
        private int _inFlight;
        private int _requests;
        private int _mostInFlight;

        public int Requests => _requests;

        public int MostInFlight => _mostInFlight;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var now = Interlocked.Increment(ref _inFlight);
            for (var most = _mostInFlight; now > most && Interlocked.CompareExchange(ref _mostInFlight, now, most) != most; most = _mostInFlight)
            {
            }
            await Task.Delay(delay, cancellationToken);
            Interlocked.Decrement(ref _inFlight);
            return new HttpResponseMessage(HttpStatusCode.Created);
        }
    }
}
