using System.Text;
using System.Text.Json;
using Azure;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Tests.Storage;

public sealed class TableEntityJsonTests
{
    private static readonly Guid Id = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    private static string Json(TableEntity entity) => Encoding.UTF8.GetString(TableEntityJson.Serialize(entity));

    private static TableEntity Read(string json) => TableEntityJson.ReadEntity(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void TypesJsonCannotCarryAreWrittenAsAnnotatedStrings()
    {
        var entity = new TableEntity("p1", "r1")
        {
            ["Big"] = long.MaxValue,
            ["When"] = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567),
            ["Id"] = Id,
            ["Bytes"] = "hello"u8.ToArray(),
        };

        Assert.Equal(
            """{"PartitionKey":"p1","RowKey":"r1","Big":"9223372036854775807","Big@odata.type":"Edm.Int64","When":"2024-01-02T03:04:05.1234567Z","When@odata.type":"Edm.DateTime","Id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","Id@odata.type":"Edm.Guid","Bytes":"aGVsbG8=","Bytes@odata.type":"Edm.Binary"}""",
            Json(entity));
    }

    [Fact]
    public void Int32BooleanStringAndFractionalDoublesNeedNoAnnotation()
    {
        var entity = new TableEntity("p", "r") { ["N"] = 42, ["B"] = true, ["S"] = "x", ["D"] = 2.5 };

        Assert.Equal("""{"PartitionKey":"p","RowKey":"r","N":42,"B":true,"S":"x","D":2.5}""", Json(entity));
    }

    [Fact]
    public void WholeAndNonFiniteDoublesAreAnnotatedAsDouble()
    {
        var entity = new TableEntity("p", "r") { ["Two"] = 2.0, ["Nan"] = double.NaN, ["Inf"] = double.NegativeInfinity };

        Assert.Equal(
            """{"PartitionKey":"p","RowKey":"r","Two":2,"Two@odata.type":"Edm.Double","Nan":"NaN","Nan@odata.type":"Edm.Double","Inf":"-Infinity","Inf@odata.type":"Edm.Double"}""",
            Json(entity));
    }

    [Fact]
    public void NullValuesAndTimestampAreNotSent()
    {
        var entity = new TableEntity("p", "r") { ["Gone"] = null, Timestamp = DateTimeOffset.UnixEpoch };

        Assert.Equal("""{"PartitionKey":"p","RowKey":"r"}""", Json(entity));
    }

    [Fact]
    public void DatesAreWrittenInUtcAndUnspecifiedKindIsTakenAsUtc()
    {
        var entity = new TableEntity("p", "r")
        {
            ["Offset"] = new DateTimeOffset(2024, 1, 2, 11, 4, 5, TimeSpan.FromHours(8)),
            ["Unspecified"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
        };

        var json = Json(entity);

        Assert.Contains("\"Offset\":\"2024-01-02T03:04:05.0000000Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Unspecified\":\"2024-01-02T03:04:05.0000000Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonIsOneLineAndKeepsNonAsciiTextReadable()
    {
        var entity = new TableEntity("p", "r") { ["Name"] = "科创孵化器\nline2 \u2028" };

        var json = Json(entity);

        Assert.Equal("""{"PartitionKey":"p","RowKey":"r","Name":"科创孵化器\nline2 \u2028"}""", json);
        Assert.DoesNotContain('\n', json);
    }

    [Fact]
    public void UnsupportedValueTypeIsRejectedByName()
    {
        var entity = new TableEntity("p", "r") { ["Price"] = 9.99m };

        var exception = Assert.Throws<ArgumentException>(() => TableEntityJson.Serialize(entity));

        Assert.Contains("'Price' holds a System.Decimal", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinimalMetadataReadsBackEveryEdmType()
    {
        // As Azurite answers a get with Accept: application/json;odata=minimalmetadata.
        var entity = Read("""
            {"odata.metadata":"http://127.0.0.1:10002/devstoreaccount1/$metadata#t/@Element",
             "odata.etag":"W/\"datetime'2026-11-22T01%3A54%3A05.5477512Z'\"",
             "PartitionKey":"p1","RowKey":"r1","Timestamp":"2026-11-22T01:54:05.5477512Z",
             "Big":"9223372036854775807","Big@odata.type":"Edm.Int64",
             "When":"2024-01-02T03:04:05.1234567Z","When@odata.type":"Edm.DateTime",
             "Id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","Id@odata.type":"Edm.Guid",
             "Bytes":"aGVsbG8=","Bytes@odata.type":"Edm.Binary",
             "Two":2.0,"Half":0.5,"N":42,"B":false,"S":"text","Nan":"NaN","Nan@odata.type":"Edm.Double"}
            """);

        Assert.Equal(new ETag("W/\"datetime'2026-11-22T01%3A54%3A05.5477512Z'\""), entity.ETag);
        Assert.Equal("p1", entity.PartitionKey);
        Assert.Equal("r1", entity.RowKey);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 54, 5, TimeSpan.Zero).AddTicks(5477512), entity.Timestamp);
        Assert.Equal(long.MaxValue, Assert.IsType<long>(entity["Big"]));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), Assert.IsType<DateTimeOffset>(entity["When"]));
        Assert.Equal(Id, Assert.IsType<Guid>(entity["Id"]));
        Assert.Equal("hello"u8.ToArray(), Assert.IsType<byte[]>(entity["Bytes"]));
        Assert.Equal(2.0, Assert.IsType<double>(entity["Two"]));
        Assert.Equal(0.5, Assert.IsType<double>(entity["Half"]));
        Assert.Equal(42, Assert.IsType<int>(entity["N"]));
        Assert.False(Assert.IsType<bool>(entity["B"]));
        Assert.Equal("text", Assert.IsType<string>(entity["S"]));
        Assert.True(double.IsNaN(Assert.IsType<double>(entity["Nan"])));
        Assert.False(entity.ContainsKey("odata.metadata"));
        Assert.False(entity.ContainsKey("Big@odata.type"));
    }

    [Fact]
    public void UnannotatedWholeNumberBeyondInt32IsReadAsInt64()
    {
        var entity = Read("""{"PartitionKey":"p","RowKey":"r","Count":3000000000,"Whole":7,"Annotated":7,"Annotated@odata.type":"Edm.Double"}""");

        Assert.Equal(3_000_000_000L, Assert.IsType<long>(entity["Count"]));
        Assert.IsType<int>(entity["Whole"]);
        Assert.Equal(7.0, Assert.IsType<double>(entity["Annotated"]));
    }

    [Fact]
    public void TypedGettersConvertWhereTheWireTypeIsAmbiguous()
    {
        var entity = new TableEntity("p", "r")
        {
            ["Small"] = 5,
            ["Wide"] = 5L,
            ["Huge"] = long.MaxValue,
            ["Clock"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["Data"] = BinaryData.FromString("hi"),
        };

        Assert.Equal(5L, entity.GetInt64("Small"));
        Assert.Equal(5, entity.GetInt32("Wide"));
        Assert.Equal(5.0, entity.GetDouble("Small"));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), entity.GetDateTimeOffset("Clock"));
        Assert.Equal("hi"u8.ToArray(), entity.GetBinary("Data"));
        Assert.Null(entity.GetString("Absent"));
        Assert.Null(entity.GetGuid("Absent"));
        Assert.Throws<InvalidOperationException>(() => entity.GetInt32("Huge"));
        var mismatch = Assert.Throws<InvalidOperationException>(() => entity.GetString("Small"));
        Assert.Equal("Property 'Small' holds a Int32, which cannot be read as String.", mismatch.Message);
    }

    [Fact]
    public void KeysAreEmptyWhenAbsentAndTheEntityIsAnOrdinaryDictionary()
    {
        var entity = new TableEntity(new Dictionary<string, object?> { ["A"] = 1 });
        IDictionary<string, object?> dictionary = entity;
        dictionary.Add(new KeyValuePair<string, object?>("B", 2));

        Assert.Equal("", entity.PartitionKey);
        Assert.Equal("", entity.RowKey);
        Assert.Equal(["A", "B"], entity.Keys);
        Assert.True(dictionary.Contains(new KeyValuePair<string, object?>("B", 2)));
        Assert.True(entity.Remove("A"));
        Assert.Equal("B", Assert.Single(entity).Key);
    }

    [Fact]
    public void AnAnnotationTypesItsValueWhetherItComesBeforeOrAfter()
    {
        var before = Read("""{"Big@odata.type":"Edm.Int64","Big":"9223372036854775807","When@odata.type":"Edm.DateTime","When":"2024-01-02T03:04:05.1234567Z"}""");
        var after = Read("""{"Big":"9223372036854775807","Big@odata.type":"Edm.Int64","When":"2024-01-02T03:04:05.1234567Z","When@odata.type":"Edm.DateTime"}""");

        Assert.Equal(long.MaxValue, before["Big"]);
        Assert.Equal(long.MaxValue, after["Big"]);
        Assert.Equal(before["When"], after["When"]);
        Assert.IsType<DateTimeOffset>(after["When"]);
    }

    [Fact]
    public void AQueryPageReadsEveryEntityAndSharesPropertyNames()
    {
        var page = TableEntityJson.ReadPage(Encoding.UTF8.GetBytes(
            """{"odata.metadata":"x","value":[{"odata.etag":"W/\"1\"","PartitionKey":"p","RowKey":"a","N":1},{"odata.etag":"W/\"2\"","PartitionKey":"p","RowKey":"b","N":2}]}"""));

        Assert.Equal(["a", "b"], page.Select(e => e.RowKey));
        Assert.Equal([1, 2], page.Select(e => (int)e["N"]!));
        Assert.Equal("W/\"2\"", page[1].ETag.ToString());
        Assert.Same(page[0].Keys.Single(k => k == "RowKey"), page[1].Keys.Single(k => k == "RowKey"));
    }

    [Theory]
    [InlineData("""{"value":[{"Nested":{"a":1}}]}""")]
    [InlineData("""{"value":[{"List":[1,2]}]}""")]
    [InlineData("""[1,2]""")]
    public void AnUnexpectedShapeIsAFormatError(string json) =>
        Assert.Throws<FormatException>(() => TableEntityJson.ReadPage(Encoding.UTF8.GetBytes(json)));
}
