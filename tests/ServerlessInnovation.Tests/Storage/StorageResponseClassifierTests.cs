using System.Net.Sockets;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ServerlessInnovation.Storage;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>Transient failures are retried; a request that may have been applied is not repeated if it is not idempotent.</summary>
public sealed class StorageResponseClassifierTests
{
    private static HttpMessage Message(bool nonIdempotent)
    {
        var pipeline = HttpPipelineBuilder.Build(new TestOptions());
        var message = pipeline.CreateMessage();
        if (nonIdempotent)
        {
            StorageResponseClassifier.MarkNonIdempotent(message);
        }
        return message;
    }

    [Theory]
    [InlineData(408, true, true)]
    [InlineData(429, true, true)]
    [InlineData(503, true, true)]
    [InlineData(500, true, false)]
    [InlineData(502, true, false)]
    [InlineData(504, true, false)]
    [InlineData(404, false, false)]
    [InlineData(409, false, false)]
    [InlineData(412, false, false)]
    public void StatusesAreRetriedOnlyWhenRepeatingIsSafe(int status, bool retriedWhenIdempotent, bool retriedWhenNot)
    {
        Assert.Equal(retriedWhenIdempotent, StorageResponseClassifier.Instance.IsRetriableResponse(WithStatus(Message(false), status)));
        Assert.Equal(retriedWhenNot, StorageResponseClassifier.Instance.IsRetriableResponse(WithStatus(Message(true), status)));
    }

    [Fact]
    public void ANonIdempotentRequestIsRetriedAfterAConnectionThatNeverOpened()
    {
        var refused = new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));
        var reset = new IOException("reset", new SocketException((int)SocketError.ConnectionReset));

        Assert.True(StorageResponseClassifier.Instance.IsRetriable(Message(true), refused));
        Assert.False(StorageResponseClassifier.Instance.IsRetriable(Message(true), reset));
        Assert.True(StorageResponseClassifier.Instance.IsRetriable(Message(false), reset));
    }

    private static HttpMessage WithStatus(HttpMessage message, int status)
    {
        message.Response = new StatusResponse(status);
        return message;
    }

    private sealed class TestOptions : ClientOptions;

    private sealed class StatusResponse(int status) : Response
    {
        public override int Status => status;
        public override string ReasonPhrase => "";
        public override Stream? ContentStream { get; set; }
        public override string ClientRequestId { get; set; } = "";
        public override void Dispose() { }
        protected override bool ContainsHeader(string name) => false;
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];
        protected override bool TryGetHeader(string name, out string value) { value = ""; return false; }
        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values) { values = []; return false; }
    }
}
