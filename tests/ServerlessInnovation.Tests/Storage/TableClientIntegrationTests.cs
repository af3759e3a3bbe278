using Azure;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>The table client against the shared Azurite, one fresh table per test.</summary>
public sealed class TableClientIntegrationTests
{
    internal static async Task<TableServiceClient> ServiceAsync(string accountKey = Azurite.AccountKey)
    {
        var azurite = await Azurite.Shared;
        return new TableServiceClient(azurite.TableEndpoint, new StorageSharedKeyCredential(Azurite.AccountName, accountKey));
    }

    internal static async Task<TableClient> NewTableAsync()
    {
        var table = (await ServiceAsync()).GetTableClient(Azurite.UniqueName("t"));
        Assert.True(await table.CreateIfNotExistsAsync());
        return table;
    }

    [Fact]
    public async Task CreatingATableTwiceReturnsFalseTheSecondTimeWhateverTheCase()
    {
        var service = await ServiceAsync();
        var name = Azurite.UniqueName("t");

        Assert.True(await service.CreateTableIfNotExistsAsync(name));
        Assert.False(await service.CreateTableIfNotExistsAsync(name));
        Assert.False(await service.CreateTableIfNotExistsAsync(name.ToUpperInvariant()));
    }

    [Fact]
    public async Task DeletedTableIsGoneAndDeletingAgainIsHarmless()
    {
        var service = await ServiceAsync();
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));

        var deleted = await service.DeleteTableAsync(table.Name);
        var again = await service.DeleteTableAsync(table.Name);

        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, again.Status);
        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "r"));
        Assert.Equal(404, exception.Status);
        Assert.Equal("TableNotFound", exception.ErrorCode);
    }

    [Fact]
    public async Task AddingAnExistingEntityFailsWithConflict()
    {
        var table = await NewTableAsync();
        var added = await table.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }));

        Assert.Equal(204, added.Status);
        Assert.NotNull(added.Headers.ETag);
        Assert.Equal(409, exception.Status);
        Assert.Equal("EntityAlreadyExists", exception.ErrorCode);
        Assert.Equal(1, (await table.GetEntityAsync("p", "r")).Value.GetInt32("N"));
    }

    [Fact]
    public async Task UpsertMergeKeepsPropertiesNotSent()
    {
        var table = await NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Name"] = "Incubator", ["Seats"] = 10 });

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Seats"] = 12 });

        var entity = (await table.GetEntityAsync("p", "r")).Value;
        Assert.Equal("Incubator", entity.GetString("Name"));
        Assert.Equal(12, entity.GetInt32("Seats"));
    }

    [Fact]
    public async Task UpsertReplaceDropsPropertiesNotSent()
    {
        var table = await NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Name"] = "Incubator", ["Seats"] = 10 }, TableUpdateMode.Replace);

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Seats"] = 12 }, TableUpdateMode.Replace);

        var entity = (await table.GetEntityAsync("p", "r")).Value;
        Assert.False(entity.ContainsKey("Name"));
        Assert.Equal(12, entity.GetInt32("Seats"));
    }

    [Fact]
    public async Task UpdateWithAStaleETagFailsWithPreconditionFailed()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Seats"] = 10 });
        var read = (await table.GetEntityAsync("p", "r")).Value;

        read["Seats"] = 11;
        var first = await table.UpdateEntityAsync(read, read.ETag, TableUpdateMode.Replace);
        read["Seats"] = 99;
        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(read, read.ETag));

        Assert.NotEqual(read.ETag, first.Headers.ETag);
        Assert.Equal(412, exception.Status);
        Assert.Equal("UpdateConditionNotSatisfied", exception.ErrorCode);
        var stored = (await table.GetEntityAsync("p", "r")).Value;
        Assert.Equal(11, stored.GetInt32("Seats"));
        Assert.Equal(first.Headers.ETag, stored.ETag);
    }

    [Fact]
    public async Task UpdateOfAMissingEntityFailsWithNotFound()
    {
        var table = await NewTableAsync();

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), ETag.All));

        Assert.Equal(404, exception.Status);
    }

    [Fact]
    public async Task DeleteHonoursTheETag()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));
        var original = (await table.GetEntityAsync("p", "r")).Value.ETag;
        var current = (await table.UpsertEntityAsync(new TableEntity("p", "r") { ["N"] = 1 })).Headers.ETag!.Value;

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", original));
        var deleted = await table.DeleteEntityAsync("p", "r", current);
        var again = await table.DeleteEntityAsync("p", "r");

        Assert.Equal(412, stale.Status);
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, again.Status);
        Assert.False((await table.GetEntityIfExistsAsync("p", "r")).HasValue);
    }

    [Fact]
    public async Task GettingAMissingEntityThrowsNotFoundAndGetIfExistsDoesNot()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "present"));

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "absent"));
        var missing = await table.GetEntityIfExistsAsync("p", "absent");
        var present = await table.GetEntityIfExistsAsync("p", "present");

        Assert.Equal(404, exception.Status);
        Assert.Equal("ResourceNotFound", exception.ErrorCode);
        Assert.False(missing.HasValue);
        Assert.True(present.HasValue);
        Assert.Equal("present", present.Value!.RowKey);
    }

    [Fact]
    public async Task QueryWithFilterSelectAndTopFollowsContinuationAcrossPages()
    {
        var table = await NewTableAsync();
        var expected = new HashSet<string>();
        for (var i = 0; i < 24; i++)
        {
            var partition = i % 3 == 0 ? "a" : "b";
            await table.AddEntityAsync(new TableEntity(partition, $"r{i:D2}") { ["Score"] = i, ["Name"] = $"n{i}" });
            if (i >= 4)
            {
                expected.Add($"{partition}/r{i:D2}");
            }
        }

        var seen = new List<string>();
        var pages = 0;
        await foreach (var page in table.QueryAsync(TableClient.CreateQueryFilter($"Score ge {4}"), maxPerPage: 6, select: ["PartitionKey", "RowKey", "Score"]).AsPages())
        {
            pages++;
            Assert.InRange(page.Values.Count, 0, 6);
            foreach (var entity in page.Values)
            {
                seen.Add($"{entity.PartitionKey}/{entity.RowKey}");
                Assert.False(entity.ContainsKey("Name"));
                Assert.True(entity.GetInt32("Score") >= 4);
            }
        }

        Assert.True(pages >= 3, $"Expected at least 3 pages, got {pages}.");
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(expected.Order(), seen.Order());
    }

    [Fact]
    public async Task AQueryOverThousandsOfEntitiesVisitsEachOnceAcrossServicePages()
    {
        var table = await NewTableAsync();
        const int partitions = 5, perPartition = 500;
        await Task.WhenAll(Enumerable.Range(0, partitions).SelectMany(p => Enumerable.Range(0, perPartition / 100).Select(b =>
            table.SubmitTransactionAsync(Enumerable.Range(b * 100, 100).Select(r =>
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"p{p}", $"r{r:d4}") { ["N"] = p * perPartition + r }))))));

        var pages = 0;
        var seen = new HashSet<long>();
        await foreach (var page in table.QueryAsync().AsPages())
        {
            pages++;
            Assert.True(page.Values.Count <= 1000, "a service page holds at most 1,000 entities");
            foreach (var entity in page.Values)
            {
                Assert.True(seen.Add(entity.GetInt32("N")!.Value), $"{entity.PartitionKey}/{entity.RowKey} seen twice");
            }
        }

        Assert.Equal(partitions * perPartition, seen.Count);
        Assert.True(pages >= 3, $"{pages} page(s) for 2,500 entities");
    }

    [Fact]
    public async Task QueryResumesFromAPageContinuationToken()
    {
        var table = await NewTableAsync();
        for (var i = 0; i < 5; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"r{i}"));
        }

        string? token = null;
        var first = new List<string>();
        await foreach (var page in table.QueryAsync(maxPerPage: 2).AsPages())
        {
            first.AddRange(page.Values.Select(e => e.RowKey));
            token = page.ContinuationToken;
            break;
        }
        var rest = new List<string>();
        await foreach (var entity in PagesToEntities(table.QueryAsync(maxPerPage: 2).AsPages(token)))
        {
            rest.Add(entity.RowKey);
        }

        Assert.NotNull(token);
        Assert.Equal(["r0", "r1"], first);
        Assert.Equal(["r2", "r3", "r4"], rest);
    }

    [Fact]
    public async Task EveryEdmTypeRoundTrips()
    {
        var table = await NewTableAsync();
        var id = Guid.NewGuid();
        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567);
        byte[] bytes = [0, 1, 127, 128, 255];
        var entity = new TableEntity("p 1", "O'Brien 孵化器")
        {
            ["Text"] = "科创 'quoted' \"double\" \n line",
            ["Int32"] = int.MinValue,
            ["Int64Max"] = long.MaxValue,
            ["Int64Min"] = long.MinValue,
            ["Int64Small"] = 5L,
            ["DoubleWhole"] = 2.0,
            ["DoubleFraction"] = 0.1,
            ["DoubleNaN"] = double.NaN,
            ["Flag"] = true,
            ["When"] = when,
            ["WhenUtc"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1),
            ["Id"] = id,
            ["Bytes"] = bytes,
            ["Empty"] = "",
        };
        await table.AddEntityAsync(entity);

        var got = (await table.GetEntityAsync("p 1", "O'Brien 孵化器")).Value;
        var queried = Assert.Single(await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter($"RowKey eq {"O'Brien 孵化器"}"))));

        foreach (var read in new[] { got, queried })
        {
            Assert.Equal("p 1", read.PartitionKey);
            Assert.Equal("O'Brien 孵化器", read.RowKey);
            Assert.Equal("科创 'quoted' \"double\" \n line", Assert.IsType<string>(read["Text"]));
            Assert.Equal(int.MinValue, Assert.IsType<int>(read["Int32"]));
            Assert.Equal(long.MaxValue, Assert.IsType<long>(read["Int64Max"]));
            Assert.Equal(long.MinValue, Assert.IsType<long>(read["Int64Min"]));
            Assert.Equal(5L, Assert.IsType<long>(read["Int64Small"]));
            Assert.Equal(2.0, Assert.IsType<double>(read["DoubleWhole"]));
            Assert.Equal(0.1, Assert.IsType<double>(read["DoubleFraction"]));
            Assert.True(double.IsNaN(Assert.IsType<double>(read["DoubleNaN"])));
            Assert.True(Assert.IsType<bool>(read["Flag"]));
            Assert.Equal(when, Assert.IsType<DateTimeOffset>(read["When"]));
            Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1), read.GetDateTimeOffset("WhenUtc"));
            Assert.Equal(id, Assert.IsType<Guid>(read["Id"]));
            Assert.Equal(bytes, Assert.IsType<byte[]>(read["Bytes"]));
            Assert.Equal("", read.GetString("Empty"));
            Assert.NotNull(read.Timestamp);
            Assert.NotEqual(default, read.ETag);
        }
    }

    [Fact]
    public async Task FilterLiteralsOfEveryTypeMatchTheStoredValues()
    {
        var table = await NewTableAsync();
        var id = Guid.NewGuid();
        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await table.AddEntityAsync(new TableEntity("p", "hit")
        {
            ["Name"] = "O'Brien", ["Big"] = long.MaxValue, ["Ratio"] = 2.0, ["When"] = when, ["Id"] = id, ["Bytes"] = "hello"u8.ToArray(), ["Flag"] = true,
        });
        await table.AddEntityAsync(new TableEntity("p", "miss")
        {
            ["Name"] = "Other", ["Big"] = 1L, ["Ratio"] = 3.5, ["When"] = when.AddDays(1), ["Id"] = Guid.NewGuid(), ["Bytes"] = "world"u8.ToArray(), ["Flag"] = false,
        });

        FormattableString[] filters =
        [
            $"Name eq {"O'Brien"}", $"Big eq {long.MaxValue}", $"Ratio eq {2.0}", $"When eq {when}", $"When lt {when.AddHours(1).UtcDateTime}",
            $"Id eq {id}", $"Bytes eq {"hello"u8.ToArray()}", $"Flag eq {true}",
        ];
        foreach (var filter in filters)
        {
            var matches = await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter(filter)));
            Assert.Equal("hit", Assert.Single(matches).RowKey);
        }
    }

    [Fact]
    public async Task InjectionAttemptInAFilterValueMatchesNothing()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "Incubator" });

        var matches = await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter($"Name eq {"' or true or ''='"}")));

        Assert.Empty(matches);
    }

    [Fact]
    public async Task SharedKeyWithAWrongKeyIsForbidden()
    {
        const string WrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";
        var service = await ServiceAsync(WrongKey);

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => service.CreateTableIfNotExistsAsync(Azurite.UniqueName("t")));

        Assert.Equal(403, exception.Status);
        Assert.Equal("AuthorizationFailure", exception.ErrorCode);
        Assert.DoesNotContain(WrongKey, exception.Message, StringComparison.Ordinal);
    }

    internal static async Task<List<TableEntity>> ToListAsync(AsyncPageable<TableEntity> entities)
    {
        var list = new List<TableEntity>();
        await foreach (var entity in entities)
        {
            list.Add(entity);
        }
        return list;
    }

    private static async IAsyncEnumerable<TableEntity> PagesToEntities(IAsyncEnumerable<Page<TableEntity>> pages)
    {
        await foreach (var page in pages)
        {
            foreach (var entity in page.Values)
            {
                yield return entity;
            }
        }
    }
}
