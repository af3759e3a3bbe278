using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Benchmarks.Storage;

/// <summary>
/// Table inserts, point reads and a one-page query on Azurite: our client against the same requests on a bare
/// <see cref="HttpClient"/> with precomputed headers, in the same run. Ratio = our time over the baseline's.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class TableBenchmarks
{
    private const string ApiVersion = "2020-12-06";
    private const int PointReadKeys = 100;

    private BareStorageRequests _bare = null!;
    private TableClient _table = null!;
    private string _tableUrl = "";
    private string _insertAuthorization = "";
    private string _queryAuthorization = "";
    private string[] _pointReadAuthorizations = [];
    private long _counter;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var azurite = await Azurite.Shared;
        _bare = new BareStorageRequests(azurite);
        var name = Azurite.UniqueName("bench");
        _table = new TableServiceClient(azurite.TableEndpoint, new StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey)).GetTableClient(name);
        await _table.CreateIfNotExistsAsync();
        for (var batch = 0; batch < 10; batch++)
        {
            await _table.SubmitTransactionAsync(Enumerable.Range(batch * 100, 100).Select(i =>
                new TableTransactionAction(TableTransactionActionType.Add, Entity("q", i))));
        }
        await _table.SubmitTransactionAsync(Enumerable.Range(0, PointReadKeys).Select(i =>
            new TableTransactionAction(TableTransactionActionType.Add, Entity("pr", i))));

        var path = azurite.TableEndpoint.AbsolutePath.TrimEnd('/');
        _tableUrl = azurite.TableEndpoint.AbsoluteUri.TrimEnd('/') + "/" + name;
        _insertAuthorization = _bare.TableAuthorization("POST", "application/json", $"{path}/{name}");
        _queryAuthorization = _bare.TableAuthorization("GET", "", $"{path}/{name}()");
        _pointReadAuthorizations = [.. Enumerable.Range(0, PointReadKeys).Select(i =>
            _bare.TableAuthorization("GET", "", $"{path}/{name}(PartitionKey='pr',RowKey='{Key(i)}')"))];
    }

    private static string Key(long i) => i.ToString("d8", System.Globalization.CultureInfo.InvariantCulture);

    private static TableEntity Entity(string partition, long i) => new(partition, Key(i))
    {
        ["Name"] = "杭州测试孵化器 incubator " + i,
        ["District"] = "xihu",
        ["FreeAreaM2"] = 1234.5,
        ["Workstations"] = 40,
        ["Since"] = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    private static HttpRequestMessage Bare(HttpMethod method, string url, string authorization)
    {
        var request = BareStorageRequests.Request(method, url, ApiVersion, authorization);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=minimalmetadata");
        request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        return request;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Table insert")]
    public async Task<int> BareInsert()
    {
        var i = Interlocked.Increment(ref _counter);
        using var request = Bare(HttpMethod.Post, _tableUrl, _insertAuthorization);
        request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(
            $"{{\"PartitionKey\":\"b\",\"RowKey\":\"{Key(i)}\",\"Name\":\"杭州测试孵化器 incubator {i}\",\"District\":\"xihu\",\"FreeAreaM2\":1234.5,\"Workstations\":40,\"Since\":\"2020-01-01T00:00:00.0000000Z\",\"Since@odata.type\":\"Edm.DateTime\"}}"));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _bare.Http.SendAsync(request);
        return BareStorageRequests.Check(response);
    }

    [Benchmark, BenchmarkCategory("Table insert")]
    public async Task<int> ClientInsert() =>
        (await _table.AddEntityAsync(Entity("c", Interlocked.Increment(ref _counter)))).Status;

    [Benchmark(Baseline = true), BenchmarkCategory("Table point read")]
    public async Task<int> BarePointRead()
    {
        var i = (int)(Interlocked.Increment(ref _counter) % PointReadKeys);
        using var request = Bare(HttpMethod.Get, $"{_tableUrl}(PartitionKey='pr',RowKey='{Key(i)}')", _pointReadAuthorizations[i]);
        using var response = await _bare.Http.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync()).Length + BareStorageRequests.Check(response);
    }

    [Benchmark, BenchmarkCategory("Table point read")]
    public async Task<int> ClientPointRead()
    {
        var i = Interlocked.Increment(ref _counter) % PointReadKeys;
        return (await _table.GetEntityAsync("pr", Key(i))).Value.Count;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Table query (1,000 entities)")]
    public async Task<int> BareQuery()
    {
        using var request = Bare(HttpMethod.Get, $"{_tableUrl}()?$filter=PartitionKey%20eq%20'q'", _queryAuthorization);
        using var response = await _bare.Http.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync()).Length + BareStorageRequests.Check(response);
    }

    [Benchmark, BenchmarkCategory("Table query (1,000 entities)")]
    public async Task<int> ClientQuery()
    {
        var count = 0;
        await foreach (var entity in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"q"}")))
        {
            count += entity.Count;
        }
        return count;
    }

}
