using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Tests.Storage;

public sealed class TableQueryFilterTests
{
    [Fact]
    public void StringsAreQuotedWithQuotesDoubled()
    {
        Assert.Equal("LastName eq 'O''Brien'", TableClient.CreateQueryFilter($"LastName eq {"O'Brien"}"));
    }

    [Fact]
    public void InjectionAttemptStaysInsideOneStringLiteral()
    {
        const string Attack = "' or true or ''='";

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Attack}");

        Assert.Equal("PartitionKey eq ''' or true or ''''='''", filter);
    }

    [Fact]
    public void CloseParenthesisInjectionIsJustText()
    {
        const string Attack = "x') or (RowKey ne '";

        Assert.Equal("Name eq 'x'') or (RowKey ne '''", TableClient.CreateQueryFilter($"Name eq {Attack}"));
    }

    [Fact]
    public void NumbersAndBooleansUseODataLiteralForms()
    {
        var filter = TableClient.CreateQueryFilter($"A eq {42} and B eq {long.MaxValue} and C eq {2.0} and D eq {2.5} and E eq {true} and F eq {false} and G eq {-7L}");

        Assert.Equal("A eq 42 and B eq 9223372036854775807L and C eq 2.0 and D eq 2.5 and E eq true and F eq false and G eq -7L", filter);
    }

    [Fact]
    public void DatesBecomeUtcDatetimeLiterals()
    {
        var offset = new DateTimeOffset(2024, 1, 2, 11, 4, 5, TimeSpan.FromHours(8));
        var unspecified = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

        var filter = TableClient.CreateQueryFilter($"When ge {offset} and When lt {unspecified}");

        Assert.Equal("When ge datetime'2024-01-02T03:04:05.0000000Z' and When lt datetime'2024-01-01T00:00:00.0000000Z'", filter);
    }

    [Fact]
    public void GuidsBinaryAndNullHaveTheirLiterals()
    {
        var id = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

        var filter = TableClient.CreateQueryFilter($"Id eq {id} and Data eq {"hello"u8.ToArray()} and Other eq {BinaryData.FromString("hi")} and Gone eq {null}");

        Assert.Equal("Id eq guid'3f2504e0-4f89-11d3-9a0c-0305e82c3301' and Data eq X'68656c6c6f' and Other eq X'6869' and Gone eq null", filter);
    }

    [Fact]
    public void CharactersAreStrings()
    {
        Assert.Equal("Grade eq 'A' or Grade eq ''''", TableClient.CreateQueryFilter($"Grade eq {'A'} or Grade eq {'\''}"));
    }

    [Fact]
    public void LiteralTextOutsideValuesIsLeftAlone()
    {
        Assert.Equal("PartitionKey ge 'p' and PartitionKey lt 'q'", TableClient.CreateQueryFilter($"PartitionKey ge 'p' and PartitionKey lt {"q"}"));
    }

    [Theory]
    [MemberData(nameof(UnsupportedValues))]
    public void ValuesWithoutALiteralAreRejected(object value)
    {
        var exception = Assert.Throws<ArgumentException>(() => TableClient.CreateQueryFilter($"X eq {value}"));

        Assert.Equal("filter", exception.ParamName);
        Assert.Contains("no Table filter literal", exception.Message, StringComparison.Ordinal);
    }

    public static TheoryData<object> UnsupportedValues() => new() { 1.5m, 1.5f, double.NaN, double.PositiveInfinity, new Uri("http://x"), (short)1 };
}
