using System.Globalization;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Tests.Storage;

public sealed class TableValuesTests
{
    [Theory]
    [InlineData("2024-01-02T03:04:05.1234567Z")]
    [InlineData("2024-01-02T03:04:05.123Z")]
    [InlineData("2024-01-02T03:04:05.1Z")]
    [InlineData("2024-01-02T03:04:05Z")]
    [InlineData("2024-02-29T23:59:59.9999999Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public void ServiceTimestampsParseExactlyAsTheGeneralParserDoes(string text)
    {
        Assert.True(TableValues.TryParseServiceDateTime(text, out var fast));

        Assert.Equal(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), fast);
        Assert.Equal(TimeSpan.Zero, fast.Offset);
    }

    [Theory]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-01-02T24:00:00Z")]
    [InlineData("2024-01-02T03:04:05.12345678Z")]
    [InlineData("2024-01-02T03:04:05.Z")]
    [InlineData("2024-01-02 03:04:05Z")]
    [InlineData("2024-01-02T03:04:05+08:00")]
    [InlineData("2024-0a-02T03:04:05Z")]
    [InlineData("")]
    public void AnythingElseIsLeftToTheGeneralParser(string text) =>
        Assert.False(TableValues.TryParseServiceDateTime(text, out _));

    [Fact]
    public void AnOffsetTimestampStillParsesThroughTheGeneralParser() =>
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 19, 4, 5, TimeSpan.Zero), TableValues.ParseDateTime("2024-01-02T03:04:05+08:00"));
}
