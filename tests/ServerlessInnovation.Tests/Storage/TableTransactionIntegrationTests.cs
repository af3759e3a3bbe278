using Azure;
using ServerlessInnovation.Storage.Tables;
using static ServerlessInnovation.Tests.Storage.TableClientIntegrationTests;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>Entity group transactions against the shared Azurite.</summary>
public sealed class TableTransactionIntegrationTests
{
    [Fact]
    public async Task TransactionOfEveryActionTypeCommitsAllSixtyFour()
    {
        var table = await NewTableAsync();
        for (var i = 0; i < 30; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"old{i:D2}") { ["Kept"] = "yes", ["N"] = i });
        }
        var etags = (await ToListAsync(table.QueryAsync())).ToDictionary(e => e.RowKey, e => e.ETag);

        var actions = new List<TableTransactionAction>();
        for (var i = 0; i < 34; i++)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity("p", $"new{i:D2}") { ["N"] = 100 + i }));
        }
        for (var i = 0; i < 6; i++)
        {
            actions.Add(new(TableTransactionActionType.UpdateMerge, new TableEntity("p", $"old{i:D2}") { ["N"] = -i }, etags[$"old{i:D2}"]));
        }
        for (var i = 6; i < 12; i++)
        {
            actions.Add(new(TableTransactionActionType.UpdateReplace, new TableEntity("p", $"old{i:D2}") { ["N"] = -i }));
        }
        for (var i = 12; i < 18; i++)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity("p", $"old{i:D2}"), etags[$"old{i:D2}"]));
        }
        for (var i = 18; i < 24; i++)
        {
            actions.Add(new(TableTransactionActionType.UpsertMerge, new TableEntity("p", $"old{i:D2}") { ["N"] = -i }));
        }
        for (var i = 24; i < 30; i++)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"old{i:D2}") { ["N"] = -i }));
        }

        var result = await table.SubmitTransactionAsync(actions);

        Assert.Equal(64, result.Value.Count);
        Assert.All(result.Value, response => Assert.Equal(204, response.Status));
        Assert.All(result.Value.Where((_, i) => actions[i].ActionType != TableTransactionActionType.Delete), r => Assert.NotNull(r.Headers.ETag));
        var stored = (await ToListAsync(table.QueryAsync())).ToDictionary(e => e.RowKey);
        Assert.Equal(34 + 30 - 6, stored.Count);
        Assert.All(Enumerable.Range(0, 34), i => Assert.Equal(100 + i, stored[$"new{i:D2}"].GetInt32("N")));
        Assert.All(Enumerable.Range(12, 6), i => Assert.False(stored.ContainsKey($"old{i:D2}")));
        foreach (var i in Enumerable.Range(0, 30).Where(i => i is < 12 or >= 18))
        {
            var entity = stored[$"old{i:D2}"];
            Assert.Equal(-i, entity.GetInt32("N"));
            var merged = i is < 6 or (>= 18 and < 24);
            Assert.Equal(merged ? "yes" : null, entity.GetString("Kept"));
        }
    }

    [Fact]
    public async Task FailedTransactionReportsTheFailingActionAndCommitsNothing()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "taken") { ["V"] = "original" });

        var exception = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "fresh")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "other")),
            new(TableTransactionActionType.Add, new TableEntity("p", "taken") { ["V"] = "changed" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "later")),
        ]));

        Assert.Equal(2, exception.FailedTransactionActionIndex);
        Assert.Equal(409, exception.Status);
        Assert.Equal("EntityAlreadyExists", exception.ErrorCode);
        var stored = await ToListAsync(table.QueryAsync());
        Assert.Equal("original", Assert.Single(stored).GetString("V"));
    }

    [Fact]
    public async Task StaleETagFailsTheTransactionWithPreconditionFailed()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "a"));
        var stale = (await table.GetEntityAsync("p", "a")).Value.ETag;
        await table.UpsertEntityAsync(new TableEntity("p", "a") { ["V"] = 1 });

        var exception = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "b")),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "a") { ["V"] = 2 }, stale),
        ]));

        Assert.Equal(1, exception.FailedTransactionActionIndex);
        Assert.Equal(412, exception.Status);
        Assert.Equal(1, (await table.GetEntityAsync("p", "a")).Value.GetInt32("V"));
        Assert.False((await table.GetEntityIfExistsAsync("p", "b")).HasValue);
    }

    [Fact]
    public async Task TransactionOfHundredAndOneActionsIsRejectedClientSide()
    {
        var table = await NewTableAsync();
        var actions = Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i:D3}")));

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(actions));

        Assert.Empty(await ToListAsync(table.QueryAsync()));
    }

    [Fact]
    public async Task TransactionAcrossPartitionsIsRejectedClientSideThoughAzuriteWouldCommitIt()
    {
        var table = await NewTableAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("a", "1")),
            new(TableTransactionActionType.Add, new TableEntity("b", "2")),
        ]));

        Assert.Empty(await ToListAsync(table.QueryAsync()));
    }

    [Fact]
    public async Task KeysWithQuotesAndSpacesWorkInsideATransaction()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p 1", "O'Brien") { ["V"] = 1 });

        await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p 1", "孵化 'x'") { ["V"] = 2 }),
            new(TableTransactionActionType.Delete, new TableEntity("p 1", "O'Brien"), ETag.All),
        ]);

        var stored = Assert.Single(await ToListAsync(table.QueryAsync()));
        Assert.Equal("孵化 'x'", stored.RowKey);
        Assert.Equal(2, stored.GetInt32("V"));
    }
}
