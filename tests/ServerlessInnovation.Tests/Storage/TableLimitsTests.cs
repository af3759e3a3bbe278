using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>Each Table service limit, just under (accepted) and just over (rejected before anything is sent).</summary>
public sealed class TableLimitsTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("A12")]
    [InlineData("Incubators2026")]
    public void ValidTableNamesAreAccepted(string name)
    {
        TableLimits.ValidateTableName(name, "tableName");
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("ab-c")]
    [InlineData("ab_c")]
    [InlineData("abc\n")]
    [InlineData("tables")]
    [InlineData("Tables")]
    public void InvalidTableNamesAreRejected(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => TableLimits.ValidateTableName(name, "tableName"));

        Assert.Equal("tableName", exception.ParamName);
    }

    [Fact]
    public void TableNameLengthIsThreeToSixtyThree()
    {
        TableLimits.ValidateTableName("t" + new string('a', 62), "tableName");

        Assert.Throws<ArgumentException>(() => TableLimits.ValidateTableName("t" + new string('a', 63), "tableName"));
    }

    [Fact]
    public void KeysUpToOneKibibyteAreAccepted()
    {
        TableLimits.ValidateKey(new string('k', 512), "PartitionKey", "entity");
        TableLimits.ValidateKey("", "RowKey", "entity");
        TableLimits.ValidateKey("with space, ümlaut and 'quote' \u00A0", "RowKey", "entity");
    }

    [Fact]
    public void KeysOverOneKibibyteAreRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => TableLimits.ValidateKey(new string('k', 513), "PartitionKey", "entity"));

        Assert.Equal("PartitionKey is 513 characters long; the Table service allows at most 512 (1 KiB). (Parameter 'entity')", exception.Message);
    }

    [Theory]
    [InlineData("a/b", "'/' at index 1")]
    [InlineData("a\\b", "'\\' at index 1")]
    [InlineData("#", "'#' at index 0")]
    [InlineData("ab?", "'?' at index 2")]
    [InlineData("\u0000", "U+0000 at index 0")]
    [InlineData("a\tb", "U+0009 at index 1")]
    [InlineData("a\u001F", "U+001F at index 1")]
    [InlineData("a\u007F", "U+007F at index 1")]
    [InlineData("a\u009F", "U+009F at index 1")]
    public void DisallowedKeyCharactersAreRejected(string key, string expected)
    {
        var exception = Assert.Throws<ArgumentException>(() => TableLimits.ValidateKey(key, "RowKey", "entity"));

        Assert.Contains($"RowKey contains {expected}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoHundredFiftyTwoCustomPropertiesAreAccepted()
    {
        TableLimits.ValidateEntity(EntityWithProperties(252), "entity");
    }

    [Fact]
    public void TwoHundredFiftyThreeCustomPropertiesAreRejectedButNullsDoNotCount()
    {
        var entity = EntityWithProperties(253);

        var exception = Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(entity, "entity"));
        Assert.Contains("253 properties besides PartitionKey, RowKey and Timestamp", exception.Message, StringComparison.Ordinal);

        entity["P0"] = null;
        TableLimits.ValidateEntity(entity, "entity");
    }

    [Fact]
    public void PropertyNamesUpTo255CharactersAreAccepted()
    {
        TableLimits.ValidateEntity(new TableEntity("p", "r") { [new string('n', 255)] = 1 }, "entity");

        var exception = Assert.Throws<ArgumentException>(
            () => TableLimits.ValidateEntity(new TableEntity("p", "r") { [new string('n', 256)] = 1 }, "entity"));
        Assert.Contains("256 characters long", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringsUpTo32KCharactersAreAccepted()
    {
        TableLimits.ValidateEntity(new TableEntity("p", "r") { ["S"] = new string('s', 32 * 1024) }, "entity");

        var exception = Assert.Throws<ArgumentException>(
            () => TableLimits.ValidateEntity(new TableEntity("p", "r") { ["S"] = new string('s', (32 * 1024) + 1) }, "entity"));
        Assert.Contains("'S' is a string of 32769 characters", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryUpTo64KiBIsAccepted()
    {
        TableLimits.ValidateEntity(new TableEntity("p", "r") { ["B"] = new byte[64 * 1024] }, "entity");
        TableLimits.ValidateEntity(new TableEntity("p", "r") { ["B"] = new BinaryData(new byte[64 * 1024]) }, "entity");

        Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(new TableEntity("p", "r") { ["B"] = new byte[(64 * 1024) + 1] }, "entity"));
        var exception = Assert.Throws<ArgumentException>(
            () => TableLimits.ValidateEntity(new TableEntity("p", "r") { ["B"] = new BinaryData(new byte[(64 * 1024) + 1]) }, "entity"));
        Assert.Contains("'B' holds 65537 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntityOfExactlyOneMebibyteIsAccepted()
    {
        TableLimits.ValidateEntity(EntityOfSize(lastStringLength: 32_620, withBoolean: false), "entity");
    }

    [Fact]
    public void EntityOneByteOverOneMebibyteIsRejected()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => TableLimits.ValidateEntity(EntityOfSize(lastStringLength: 32_615, withBoolean: true), "entity"));

        Assert.Contains("estimated size is 1048577 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntityWithoutPartitionKeyIsRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(new TableEntity { ["RowKey"] = "r" }, "entity"));

        Assert.Contains("needs a string PartitionKey", exception.Message, StringComparison.Ordinal);
    }

    private static TableEntity EntityWithProperties(int count)
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < count; i++)
        {
            entity[$"P{i}"] = i;
        }
        return entity;
    }

    // By the service's estimate: keys "p" and "r" are 4 + 2 * 2 = 8 bytes; each 32,768-character string named P00..P14 is
    // 8 + 3 * 2 + 4 + 65,536 = 65,554 bytes (15 of them: 983,310); the last string named P15 is 8 + 6 + 4 + 2n bytes; a
    // Boolean named B is 8 + 2 + 1 = 11 bytes. n = 32,620 gives exactly 1,048,576; n = 32,615 plus B gives 1,048,577.
    private static TableEntity EntityOfSize(int lastStringLength, bool withBoolean)
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 15; i++)
        {
            entity[$"P{i:D2}"] = new string('s', 32 * 1024);
        }
        entity["P15"] = new string('s', lastStringLength);
        if (withBoolean)
        {
            entity["B"] = true;
        }
        return entity;
    }
}
