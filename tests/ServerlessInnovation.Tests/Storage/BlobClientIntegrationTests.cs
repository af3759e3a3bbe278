using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>The blob clients against the shared Azurite, one fresh container per test.</summary>
public sealed class BlobClientIntegrationTests
{
    private static readonly TimeSpan FixedLease = TimeSpan.FromSeconds(15);

    private static async Task<BlobServiceClient> ServiceAsync(BlobClientOptions? options = null)
    {
        var azurite = await Azurite.Shared;
        return new BlobServiceClient(azurite.BlobEndpoint, new StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey), options);
    }

    private static async Task<BlobContainerClient> NewContainerAsync(BlobClientOptions? options = null)
    {
        var container = (await ServiceAsync(options)).GetBlobContainerClient(Azurite.UniqueName("c"));
        Assert.True(await container.CreateIfNotExistsAsync());
        return container;
    }

    [Fact]
    public async Task CreatingAContainerTwiceReturnsFalseTheSecondTime()
    {
        var container = (await ServiceAsync()).GetBlobContainerClient(Azurite.UniqueName("c"));

        Assert.True(await container.CreateIfNotExistsAsync());
        Assert.False(await container.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task UploadedContentDownloadsUnchangedWithItsProperties()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("dir/a b für you.txt");
        var content = Encoding.UTF8.GetBytes("a small application form");

        var uploaded = await blob.UploadAsync(content, new BlobUploadOptions
        {
            ContentType = "text/plain; charset=utf-8",
            Metadata = new Dictionary<string, string> { ["owner"] = "bureau", ["kind"] = "form" },
        });
        var downloaded = (await blob.DownloadContentAsync()).Value;

        Assert.Equal(content, downloaded.Content.ToArray());
        Assert.Equal(MD5.HashData(content), uploaded.Value.ContentHash);
        Assert.Equal(MD5.HashData(content), downloaded.Details.ContentHash);
        Assert.Equal(uploaded.Value.ETag, downloaded.Details.ETag);
        Assert.Equal(uploaded.Value.LastModified, downloaded.Details.LastModified);
        Assert.Equal(content.Length, downloaded.Details.ContentLength);
        Assert.Equal("text/plain; charset=utf-8", downloaded.Details.ContentType);
        Assert.Null(downloaded.Details.ContentRange);
        Assert.Equal("bureau", downloaded.Details.Metadata["owner"]);
        Assert.Equal("form", downloaded.Details.Metadata["KIND"]);
    }

    [Fact]
    public async Task TwentyMebibytesFromANonSeekableStreamGoUpInBlocksAndStreamBackIdentical()
    {
        var putBlocks = new RequestCounter(request => request.Uri.Query.Contains("comp=block&", StringComparison.Ordinal));
        var options = new BlobClientOptions();
        options.AddPolicy(putBlocks, HttpPipelinePosition.PerCall);
        var blob = (await NewContainerAsync(options)).GetBlobClient("big/twenty.bin");
        using var source = new GeneratedStream(20 * 1024 * 1024, seed: 7);

        var uploaded = await blob.UploadAsync(source, new BlobUploadOptions { ContentType = "application/octet-stream" });
        using var download = (await blob.DownloadStreamingAsync()).Value;
        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        for (int read; (read = await download.Content.ReadAsync(buffer)) > 0; length += read)
        {
            received.AppendData(buffer, 0, read);
        }

        Assert.Equal(20 * 1024 * 1024, length);
        Assert.Equal(source.Sha256(), received.GetHashAndReset());
        Assert.Equal(5, putBlocks.Count);
        Assert.Equal(source.Md5(), uploaded.Value.ContentHash);
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(20 * 1024 * 1024, properties.ContentLength);
        Assert.Equal(source.Md5(), properties.ContentHash);
        Assert.Equal(uploaded.Value.ETag, properties.ETag);
    }

    [Fact]
    public async Task CreateOnlyUploadOfAnExistingBlobIsAConflict()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("once.txt");
        await blob.UploadAsync(BinaryData.FromString("first"));
        var inBlocks = new BlobUploadOptions { TransferOptions = new StorageTransferOptions { MaximumTransferSize = 4 } };

        var single = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("second")));
        var blocks = await Assert.ThrowsAsync<RequestFailedException>(
            () => blob.UploadAsync(new GeneratedStream(10, seed: 1), inBlocks));

        Assert.Equal(409, single.Status);
        Assert.Equal("BlobAlreadyExists", single.ErrorCode);
        Assert.Equal(409, blocks.Status);
        Assert.Equal("BlobAlreadyExists", blocks.ErrorCode);
        Assert.Equal("first", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task OverwriteReplacesTheContentUnlessTheETagIsStale()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("report.json");
        var first = (await blob.UploadAsync(BinaryData.FromString("v1"))).Value;
        var ifStillFirst = new BlobUploadOptions { Overwrite = true, Conditions = new BlobRequestConditions { IfMatch = first.ETag } };

        var second = (await blob.UploadAsync(BinaryData.FromString("v2"), ifStillFirst)).Value;
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("v3"), ifStillFirst));

        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(412, stale.Status);
        Assert.Equal("ConditionNotMet", stale.ErrorCode);
        Assert.Equal("v2", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task RangeDownloadReturnsTheBytesAndTheContentRange()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("range.txt");
        await blob.UploadAsync(BinaryData.FromString("0123456789abcdefghijklmnopqrs"));

        using var streamed = (await blob.DownloadStreamingAsync(new HttpRange(6, 7))).Value;
        using var reader = new StreamReader(streamed.Content);
        var text = await reader.ReadToEndAsync();
        var tail = (await blob.DownloadContentAsync(new HttpRange(26))).Value;

        Assert.Equal("6789abc", text);
        Assert.Equal("bytes 6-12/29", streamed.Details.ContentRange);
        Assert.Equal(7, streamed.Details.ContentLength);
        Assert.Equal("qrs", tail.Content.ToString());
        Assert.Equal("bytes 26-28/29", tail.Details.ContentRange);
    }

    [Fact]
    public async Task PropertiesShowTheUploadAndMetadataIsReplacedWhole()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("props.pdf");
        var uploaded = (await blob.UploadAsync(new byte[1234], new BlobUploadOptions
        {
            ContentType = "application/pdf",
            Metadata = new Dictionary<string, string> { ["applicant"] = "hz001", ["stage"] = "draft" },
        })).Value;

        var before = (await blob.GetPropertiesAsync()).Value;
        var changed = (await blob.SetMetadataAsync(new Dictionary<string, string> { ["stage"] = "final" })).Value;
        var after = (await blob.GetPropertiesAsync()).Value;

        Assert.Equal(1234, before.ContentLength);
        Assert.Equal("application/pdf", before.ContentType);
        Assert.Equal(MD5.HashData(new byte[1234]), before.ContentHash);
        Assert.Equal(uploaded.ETag, before.ETag);
        Assert.Equal(new Dictionary<string, string> { ["applicant"] = "hz001", ["stage"] = "draft" }, before.Metadata);
        Assert.Equal(LeaseState.Available, before.LeaseState);
        Assert.Equal(LeaseStatus.Unlocked, before.LeaseStatus);
        Assert.Null(before.LeaseDuration);
        Assert.Equal(new Dictionary<string, string> { ["stage"] = "final" }, after.Metadata);
        Assert.Equal(changed.ETag, after.ETag);
        Assert.NotEqual(before.ETag, after.ETag);
    }

    [Fact]
    public async Task ListingPagesThroughTwentyFiveHundredBlobsSeeingEachOnce()
    {
        var container = await NewContainerAsync();
        var names = Enumerable.Range(0, 2500).Select(i => $"apps/{i:D4}.json").ToList();
        await Parallel.ForEachAsync(names.Append("other/outside.json"), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (name, ct) => await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(name), cancellationToken: ct));

        var seen = new ConcurrentDictionary<string, int>();
        var pages = 0;
        await foreach (var page in container.GetBlobsAsync(prefix: "apps/", pageSize: 1000).AsPages())
        {
            pages++;
            foreach (var item in page.Values)
            {
                seen.AddOrUpdate(item.Name, 1, (_, count) => count + 1);
                Assert.Equal(Encoding.UTF8.GetByteCount(item.Name), item.Properties.ContentLength);
            }
        }

        Assert.Equal(3, pages);
        Assert.Equal(names.Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
        Assert.All(seen.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task ListingShowsPropertiesAndMetadataAndResumesFromAPageToken()
    {
        var container = await NewContainerAsync();
        var uploaded = new Dictionary<string, ETag>();
        foreach (var name in new[] { "a/1.txt", "a/2 two.txt", "a/3.txt", "b/4.txt" })
        {
            uploaded[name] = (await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(name), new BlobUploadOptions
            {
                ContentType = "text/plain",
                Metadata = new Dictionary<string, string> { ["n"] = name.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            })).Value.ETag;
        }

        Page<BlobItem>? first = null;
        await foreach (var page in container.GetBlobsAsync("a/", traits: BlobTraits.Metadata).AsPages(pageSizeHint: 2))
        {
            first = page;
            break;
        }
        var rest = new List<BlobItem>();
        await foreach (var item in container.GetBlobsAsync("a/", pageSize: 2).AsPages(first!.ContinuationToken).SelectMany(p => p.Values.ToAsyncEnumerable()))
        {
            rest.Add(item);
        }

        Assert.Equal(["a/1.txt", "a/2 two.txt"], first.Values.Select(b => b.Name));
        Assert.NotNull(first.ContinuationToken);
        var item2 = first.Values[1];
        Assert.Equal(uploaded["a/2 two.txt"], item2.Properties.ETag);
        Assert.Equal("text/plain", item2.Properties.ContentType);
        Assert.Equal(MD5.HashData(Encoding.UTF8.GetBytes("a/2 two.txt")), item2.Properties.ContentHash);
        Assert.Equal("11", item2.Metadata["n"]);
        Assert.Equal(["a/3.txt"], rest.Select(b => b.Name));
        Assert.Empty(rest[0].Metadata);
    }

    [Fact]
    public async Task DeletedBlobIsGoneAndMissingThingsAreReportedAsSuch()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("gone.txt");
        await blob.UploadAsync(BinaryData.FromString("x"));

        var deleted = await blob.DeleteAsync();
        var again = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync());
        var ifExists = await blob.DeleteIfExistsAsync();
        var read = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadStreamingAsync());
        var head = await Assert.ThrowsAsync<RequestFailedException>(() => blob.GetPropertiesAsync());
        var noContainer = (await ServiceAsync()).GetBlobContainerClient(Azurite.UniqueName("none")).GetBlobClient("x");
        var missingContainer = await Assert.ThrowsAsync<RequestFailedException>(() => noContainer.DownloadContentAsync());

        Assert.Equal(202, deleted.Status);
        Assert.Equal((404, "BlobNotFound"), (again.Status, again.ErrorCode));
        Assert.False(ifExists.Value);
        Assert.Equal((404, "BlobNotFound"), (read.Status, read.ErrorCode));
        Assert.Equal((404, "BlobNotFound"), (head.Status, head.ErrorCode));
        Assert.Equal((404, "ContainerNotFound"), (missingContainer.Status, missingContainer.ErrorCode));
        Assert.False((await blob.ExistsAsync()).Value);
        Assert.False((await noContainer.ExistsAsync()).Value);
        Assert.False((await noContainer.DeleteIfExistsAsync()).Value);
    }

    [Fact]
    public async Task DeletingAContainerRemovesItOnce()
    {
        var container = await NewContainerAsync();
        await container.GetBlobClient("x").UploadAsync(BinaryData.FromString("x"));

        Assert.True((await container.DeleteIfExistsAsync()).Value);
        Assert.False((await container.DeleteIfExistsAsync()).Value);
        Assert.False((await container.GetBlobClient("x").ExistsAsync()).Value);
    }

    [Fact]
    public async Task ALeaseHasOneHolderAndGuardsWrites()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("jobs/nightly.lock");
        await blob.UploadAsync(BinaryData.FromString("lock"));
        var holder = blob.GetBlobLeaseClient();
        var rival = blob.GetBlobLeaseClient();

        var acquired = (await holder.AcquireAsync(FixedLease)).Value;
        var reacquired = (await holder.AcquireAsync(FixedLease)).Value;
        var taken = await Assert.ThrowsAsync<RequestFailedException>(() => rival.AcquireAsync(FixedLease));
        var unleasedWrite = await Assert.ThrowsAsync<RequestFailedException>(
            () => blob.UploadAsync(BinaryData.FromString("no lease"), new BlobUploadOptions { Overwrite = true }));
        await blob.UploadAsync(BinaryData.FromString("with lease"),
            new BlobUploadOptions { Overwrite = true, Conditions = new BlobRequestConditions { LeaseId = holder.LeaseId } });
        var leased = (await blob.GetPropertiesAsync()).Value;
        var renewed = (await holder.RenewAsync()).Value;
        await holder.ReleaseAsync();
        var infinite = (await rival.AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration)).Value;
        var broken = (await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero)).Value;
        var afterBreak = (await blob.GetPropertiesAsync()).Value;

        Assert.Equal(holder.LeaseId, acquired.LeaseId);
        Assert.Equal(holder.LeaseId, reacquired.LeaseId);
        Assert.Equal((409, "LeaseAlreadyPresent"), (taken.Status, taken.ErrorCode));
        Assert.Equal(412, unleasedWrite.Status);
        Assert.Equal("with lease", (await blob.DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal((LeaseState.Leased, LeaseStatus.Locked, LeaseDurationType.Fixed), (leased.LeaseState, leased.LeaseStatus, leased.LeaseDuration));
        Assert.Equal(holder.LeaseId, renewed.LeaseId);
        Assert.Equal(rival.LeaseId, infinite.LeaseId);
        Assert.Equal(0, broken.LeaseTime);
        Assert.Equal((LeaseState.Broken, LeaseStatus.Unlocked), (afterBreak.LeaseState, afterBreak.LeaseStatus));
    }

    [Fact]
    public async Task AWriteOnlySasUploadsByPlainHttpButCannotReadAndExpires()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("sas/upload.txt");
        var uploadUri = blob.GenerateSasUri(BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow.AddMinutes(10));
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var expiredUri = (await ServiceAsync(new BlobClientOptions { TimeProvider = past }))
            .GetBlobContainerClient(blob.BlobContainerName).GetBlobClient("sas/late.txt")
            .GenerateSasUri(BlobSasPermissions.Create | BlobSasPermissions.Write, past.Now.AddHours(1));
        var readUri = blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(10));
        using var http = new HttpClient();

        using var uploaded = await http.SendAsync(Put(uploadUri, "uploaded by a browser"));
        using var readWithUploadSas = await http.GetAsync(uploadUri);
        using var expired = await http.SendAsync(Put(expiredUri, "too late"));
        using var readWithReadSas = await http.GetAsync(readUri);

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readWithUploadSas.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("uploaded by a browser", await readWithReadSas.Content.ReadAsStringAsync());
        Assert.Contains("spr=https%2Chttp", uploadUri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyContentUploadsFromAStreamOrMemory()
    {
        var container = await NewContainerAsync();

        await container.GetBlobClient("empty-stream").UploadAsync(new GeneratedStream(0, seed: 0));
        await container.GetBlobClient("empty-memory").UploadAsync(ReadOnlyMemory<byte>.Empty);

        Assert.Equal(0, (await container.GetBlobClient("empty-stream").GetPropertiesAsync()).Value.ContentLength);
        Assert.Equal(0, (await container.GetBlobClient("empty-memory").DownloadContentAsync()).Value.Content.ToMemory().Length);
    }

    private static HttpRequestMessage Put(Uri uri, string content)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new StringContent(content) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        return request;
    }

    /// <summary>Counts the operations (not the tries) whose request matches.</summary>
    private sealed class RequestCounter(Func<Request, bool> matches) : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => _count;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (matches(message.Request))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
