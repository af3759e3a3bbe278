using System.Text;
using ServerlessInnovation.Storage.Queues;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>Each Queue service limit, just inside (accepted) and just outside (rejected before anything is sent), and the message text encodings.</summary>
public sealed class QueueLimitsTests
{
    private const int Base64PayloadLimit = 49_152;
    private const int TextLimit = 65_536;

    [Theory]
    [InlineData("abc")]
    [InlineData("123")]
    [InlineData("applications-2026")]
    [InlineData("a-b-c")]
    public void ValidQueueNamesAreAccepted(string name)
    {
        QueueLimits.ValidateQueueName(name, "queueName");
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Applications")]
    [InlineData("-abc")]
    [InlineData("abc-")]
    [InlineData("ab--c")]
    [InlineData("ab_c")]
    [InlineData("ab c")]
    [InlineData("abc\n")]
    public void InvalidQueueNamesAreRejected(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => QueueLimits.ValidateQueueName(name, "queueName"));

        Assert.Equal("queueName", exception.ParamName);
    }

    [Fact]
    public void QueueNameLengthIsThreeToSixtyThree()
    {
        QueueLimits.ValidateQueueName(new string('q', 63), "queueName");

        var exception = Assert.Throws<ArgumentException>(() => QueueLimits.ValidateQueueName(new string('q', 64), "queueName"));
        Assert.StartsWith($"Queue name '{new string('q', 64)}' is 64 characters long; the Queue service allows 3 to 63.", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(32, true)]
    [InlineData(0, false)]
    [InlineData(33, false)]
    public void OneRequestReturnsOneToThirtyTwoMessages(int maxMessages, bool accepted)
    {
        var exception = Record.Exception(() => QueueLimits.ValidateMaxMessages(maxMessages, nameof(maxMessages)));

        Assert.Equal(accepted, exception is null);
        if (!accepted)
        {
            Assert.Equal("maxMessages", Assert.IsType<ArgumentOutOfRangeException>(exception).ParamName);
        }
    }

    [Fact]
    public void TimesAreWholeSecondsWithinTheirRange()
    {
        var min = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromDays(7);

        Assert.Equal(1, QueueLimits.Seconds(min, min, max, "visibilityTimeout"));
        Assert.Equal(604_800, QueueLimits.Seconds(max, min, max, "visibilityTimeout"));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueLimits.Seconds(TimeSpan.Zero, min, max, "visibilityTimeout"));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueLimits.Seconds(max + TimeSpan.FromSeconds(1), min, max, "visibilityTimeout"));
        var fraction = Assert.Throws<ArgumentException>(() => QueueLimits.Seconds(TimeSpan.FromSeconds(1.5), min, max, "visibilityTimeout"));
        Assert.Equal("visibilityTimeout", fraction.ParamName);
    }

    [Fact]
    public void SendTakesAPositiveTimeToLiveOrNever()
    {
        Assert.Equal((null, null), QueueLimits.ValidateSend(null, null));
        Assert.Equal(("0", "1"), QueueLimits.ValidateSend(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Equal((null, "-1"), QueueLimits.ValidateSend(null, TimeSpan.FromSeconds(-1)));
        Assert.Equal((null, "-1"), QueueLimits.ValidateSend(null, Timeout.InfiniteTimeSpan));
        Assert.Equal((null, "2147483647"), QueueLimits.ValidateSend(null, TimeSpan.FromSeconds(int.MaxValue)));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueLimits.ValidateSend(null, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueLimits.ValidateSend(null, TimeSpan.FromSeconds(-2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueLimits.ValidateSend(TimeSpan.FromSeconds(-1), null));
    }

    [Fact]
    public void SendVisibilityMustBeShorterThanTheTimeToLive()
    {
        Assert.Equal(("59", "60"), QueueLimits.ValidateSend(TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(60)));
        Assert.Equal(("604800", "-1"), QueueLimits.ValidateSend(TimeSpan.FromDays(7), TimeSpan.FromSeconds(-1)));
        Assert.Equal(("604799", null), QueueLimits.ValidateSend(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1), null));

        var equal = Assert.Throws<ArgumentException>(() => QueueLimits.ValidateSend(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)));
        var defaultTtl = Assert.Throws<ArgumentException>(() => QueueLimits.ValidateSend(TimeSpan.FromDays(7), null));

        Assert.Equal("The visibility timeout (60 s) must be shorter than the time to live (60 s). (Parameter 'visibilityTimeout')", equal.Message);
        Assert.Equal(
            "The visibility timeout (604800 s) must be shorter than the time to live (604800 s, the default). (Parameter 'visibilityTimeout')",
            defaultTtl.Message);
    }

    [Fact]
    public void Base64TextIsTheUtf8BytesOfThePayload()
    {
        const string Json = """{"title":"杭州市科技创新券","amount":50000}""";

        var stored = QueueMessageText.Encode(Json, QueueMessageEncoding.Base64, "messageText");

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(Json)), stored);
        Assert.Equal(Json, QueueMessageText.Decode(stored, QueueMessageEncoding.Base64)!.ToString());
    }

    [Fact]
    public void Base64PayloadsUpTo49152BytesFit()
    {
        var stored = QueueMessageText.Encode(new BinaryData(new byte[Base64PayloadLimit]), QueueMessageEncoding.Base64, "message");
        var exception = Assert.Throws<ArgumentException>(
            () => QueueMessageText.Encode(new BinaryData(new byte[Base64PayloadLimit + 1]), QueueMessageEncoding.Base64, "message"));

        Assert.Equal(TextLimit, stored.Length);
        Assert.Equal("message", exception.ParamName);
        Assert.StartsWith("The payload is 49153 bytes; in base64 a queue message carries at most 49152", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base64TextPayloadsAreCountedInUtf8Bytes()
    {
        // 16,384 three-byte characters are exactly 49,152 bytes.
        QueueMessageText.Encode(new string('杭', 16_384), QueueMessageEncoding.Base64, "messageText");

        Assert.Throws<ArgumentException>(() => QueueMessageText.Encode(new string('杭', 16_384) + "x", QueueMessageEncoding.Base64, "messageText"));
    }

    [Fact]
    public void PlainTextUpTo65536Utf8BytesFits()
    {
        Assert.Equal(TextLimit, QueueMessageText.Encode(new string('x', TextLimit), QueueMessageEncoding.None, "messageText").Length);
        Assert.Throws<ArgumentException>(() => QueueMessageText.Encode(new string('x', TextLimit + 1), QueueMessageEncoding.None, "messageText"));

        // 21,845 three-byte characters are 65,535 bytes; one more is 65,538.
        QueueMessageText.Encode(new string('杭', 21_845) + "x", QueueMessageEncoding.None, "messageText");
        var exception = Assert.Throws<ArgumentException>(() => QueueMessageText.Encode(new string('杭', 21_846), QueueMessageEncoding.None, "messageText"));
        Assert.StartsWith("The message text is 65538 bytes in UTF-8; a queue message carries at most 65536 (64 KiB).", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bell \u0007", "U+0007 at index 5")]
    [InlineData("\uFFFE", "U+FFFE at index 0")]
    public void PlainTextMustBeXmlCharacters(string text, string where)
    {
        var exception = Assert.Throws<ArgumentException>(() => QueueMessageText.Encode(text, QueueMessageEncoding.None, "messageText"));

        Assert.Contains(where, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainTextMustNotHaveALoneSurrogate()
    {
        // Not an InlineData case: theory data would carry the lone surrogate as U+FFFD.
        var exception = Assert.Throws<ArgumentException>(() => QueueMessageText.Encode("lone \uD83D surrogate", QueueMessageEncoding.None, "messageText"));

        Assert.Contains("U+D83D at index 5", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainTextKeepsSurrogatePairsTabsAndLineBreaks()
    {
        const string Text = "emoji 🚀\ttab\r\nline";

        Assert.Equal(Text, QueueMessageText.Encode(Text, QueueMessageEncoding.None, "messageText"));
    }

    [Fact]
    public void PlainPayloadsMustBeUtf8()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => QueueMessageText.Encode(new BinaryData(new byte[] { 0x7B, 0xFF, 0x7D }), QueueMessageEncoding.None, "message"));

        Assert.Equal("message", exception.ParamName);
    }

    [Fact]
    public void ABase64TextPayloadMustNotHaveALoneSurrogate()
    {
        Assert.Throws<ArgumentException>(() => QueueMessageText.Encode("lone \uDC00", QueueMessageEncoding.Base64, "messageText"));
    }

    [Theory]
    [InlineData("aGVsbG8=", "hello")]
    [InlineData("", "")]
    [InlineData("not base64!", null)]
    [InlineData("aGVsbG8", null)]
    public void Base64DecodingFailsOnlyForTextThatIsNotBase64(string stored, string? payload)
    {
        Assert.Equal(payload, QueueMessageText.Decode(stored, QueueMessageEncoding.Base64)?.ToString());
        Assert.Equal(stored, QueueMessageText.Decode(stored, QueueMessageEncoding.None)!.ToString());
    }

    [Fact]
    public void TheRequestBodyEscapesMarkupAndCarriageReturns()
    {
        var content = QueueMessageText.ToRequestContent("R&D <AI> \"q\"\r\n");
        using var body = new MemoryStream();
        content.WriteTo(body, CancellationToken.None);

        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>R&amp;D &lt;AI&gt; \"q\"&#xD;\n</MessageText></QueueMessage>",
            Encoding.UTF8.GetString(body.ToArray()));
    }
}
