using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Benchmarks.Storage;

/// <summary>
/// Large blobs on Azurite: an 8 MiB upload (one Put Blob), a 32 MiB upload in 4 MiB blocks, four at a time, and a 32 MiB
/// streamed download — our client against the same requests on a bare <see cref="HttpClient"/> with precomputed
/// signatures and checksums. Both send a Content-MD5 with each block and the whole blob's on the commit (the baseline's
/// computed in advance, ours as the content streams), and none with a single Put Blob, whose MD5 the service computes.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 12)]
public class BlobBenchmarks
{
    private const string ApiVersion = "2025-11-05";
    private const int SmallSize = 8 * 1024 * 1024;
    private const int LargeSize = 32 * 1024 * 1024;
    private const int BlockSize = 4 * 1024 * 1024;
    private const int Concurrency = 4;

    private BareStorageRequests _bare = null!;
    private BlobContainerClient _container = null!;
    private byte[] _content = [];
    private string _containerUrl = "";
    private string _containerPath = "";
    private string _smallAuthorization = "";
    private string[] _blockMd5s = [];
    private string _largeMd5 = "";
    private string[] _blockIds = [];
    private string[] _blockAuthorizations = [];
    private byte[] _blockList = [];
    private string _blockListAuthorization = "";
    private string _downloadAuthorization = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var azurite = await Azurite.Shared;
        _bare = new BareStorageRequests(azurite);
        _container = new BlobServiceClient(azurite.BlobEndpoint, new StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey))
            .GetBlobContainerClient(Azurite.UniqueName("bench"));
        await _container.CreateIfNotExistsAsync();
        _content = RandomNumberGenerator.GetBytes(LargeSize);
        await _container.GetBlobClient("download.bin").UploadAsync(new MemoryStream(_content), new BlobUploadOptions { Overwrite = true });

        _containerPath = $"{azurite.BlobEndpoint.AbsolutePath.TrimEnd('/')}/{_container.Name}";
        _containerUrl = $"{azurite.BlobEndpoint.AbsoluteUri.TrimEnd('/')}/{_container.Name}";
        var blobHeaders = $"x-ms-blob-type:BlockBlob\nx-ms-date:{BareStorageRequests.Date}\nx-ms-version:{ApiVersion}\n";
        _smallAuthorization = _bare.BlobQueueAuthorization("PUT", SmallSize, "application/octet-stream", blobHeaders, $"{_containerPath}/bare-small.bin");
        _blockIds = [.. Enumerable.Range(0, LargeSize / BlockSize).Select(i => Convert.ToBase64String(Encoding.ASCII.GetBytes($"bench-block-{i:d12}")))];
        _blockMd5s = [.. Enumerable.Range(0, _blockIds.Length).Select(i => Convert.ToBase64String(MD5.HashData(_content.AsSpan(i * BlockSize, BlockSize))))];
        _blockAuthorizations = [.. _blockIds.Select((id, i) => _bare.BlobQueueAuthorization("PUT", BlockSize, _blockMd5s[i], "", Headers(),
            $"{_containerPath}/bare-large.bin\nblockid:{id}\ncomp:block"))];
        _largeMd5 = Convert.ToBase64String(MD5.HashData(_content));
        _blockList = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>" +
            string.Concat(_blockIds.Select(id => $"<Latest>{id}</Latest>")) + "</BlockList>");
        _blockListAuthorization = _bare.BlobQueueAuthorization("PUT", _blockList.Length, "", "application/xml",
            $"x-ms-blob-content-md5:{_largeMd5}\n" + Headers(), $"{_containerPath}/bare-large.bin\ncomp:blocklist");
        _downloadAuthorization = _bare.BlobQueueAuthorization("GET", 0, "", "", Headers(), $"{_containerPath}/download.bin");
    }

    private static string Headers() => $"x-ms-date:{BareStorageRequests.Date}\nx-ms-version:{ApiVersion}\n";

    private static HttpRequestMessage Bare(HttpMethod method, string url, string authorization) =>
        BareStorageRequests.Request(method, url, ApiVersion, authorization);

    [Benchmark(Baseline = true), BenchmarkCategory("Blob upload 8 MiB (one Put Blob)")]
    public async Task<int> BareUploadSmall()
    {
        using var request = Bare(HttpMethod.Put, $"{_containerUrl}/bare-small.bin", _smallAuthorization);
        request.Headers.TryAddWithoutValidation("x-ms-blob-type", "BlockBlob");
        request.Content = new ByteArrayContent(_content, 0, SmallSize);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _bare.Http.SendAsync(request);
        return BareStorageRequests.Check(response);
    }

    [Benchmark, BenchmarkCategory("Blob upload 8 MiB (one Put Blob)")]
    public async Task<int> ClientUploadSmall() =>
        (await _container.GetBlobClient("client-small.bin").UploadAsync(new MemoryStream(_content, 0, SmallSize),
            new BlobUploadOptions { Overwrite = true, ContentType = "application/octet-stream" })).GetRawResponse().Status;

    [Benchmark(Baseline = true), BenchmarkCategory("Blob upload 32 MiB (4 MiB blocks)")]
    public async Task<int> BareUploadLarge()
    {
        for (var first = 0; first < _blockIds.Length; first += Concurrency)
        {
            await Task.WhenAll(Enumerable.Range(first, Math.Min(Concurrency, _blockIds.Length - first)).Select(async i =>
            {
                using var request = Bare(HttpMethod.Put,
                    $"{_containerUrl}/bare-large.bin?comp=block&blockid={Uri.EscapeDataString(_blockIds[i])}", _blockAuthorizations[i]);
                request.Content = new ByteArrayContent(_content, i * BlockSize, BlockSize);
                request.Content.Headers.TryAddWithoutValidation("Content-MD5", _blockMd5s[i]);
                using var response = await _bare.Http.SendAsync(request);
                BareStorageRequests.Check(response);
            }));
        }
        using var commit = Bare(HttpMethod.Put, $"{_containerUrl}/bare-large.bin?comp=blocklist", _blockListAuthorization);
        commit.Headers.TryAddWithoutValidation("x-ms-blob-content-md5", _largeMd5);
        commit.Content = new ByteArrayContent(_blockList);
        commit.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var committed = await _bare.Http.SendAsync(commit);
        return BareStorageRequests.Check(committed);
    }

    [Benchmark, BenchmarkCategory("Blob upload 32 MiB (4 MiB blocks)")]
    public async Task<int> ClientUploadLarge() =>
        (await _container.GetBlobClient("client-large.bin").UploadAsync(new MemoryStream(_content),
            new BlobUploadOptions { Overwrite = true, TransferOptions = new StorageTransferOptions { MaximumConcurrency = Concurrency } })).GetRawResponse().Status;

    [Benchmark(Baseline = true), BenchmarkCategory("Blob download 32 MiB (stream)")]
    public async Task<long> BareDownload()
    {
        using var request = Bare(HttpMethod.Get, $"{_containerUrl}/download.bin", _downloadAuthorization);
        using var response = await _bare.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        BareStorageRequests.Check(response);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await stream.CopyToAsync(Stream.Null);
        return response.Content.Headers.ContentLength ?? 0;
    }

    [Benchmark, BenchmarkCategory("Blob download 32 MiB (stream)")]
    public async Task<long> ClientDownload()
    {
        var download = (await _container.GetBlobClient("download.bin").DownloadStreamingAsync()).Value;
        await using var stream = download.Content;
        await stream.CopyToAsync(Stream.Null);
        return download.Details.ContentLength;
    }

}
