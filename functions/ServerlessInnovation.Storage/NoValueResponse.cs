using Azure;

namespace ServerlessInnovation.Storage;

/// <summary>The answer of an <c>...IfExists</c> operation when the resource does not exist.</summary>
internal sealed class NoValueResponse<T>(Response response) : NullableResponse<T>
{
    public override bool HasValue => false;

    public override T Value => throw new InvalidOperationException(
        $"The resource does not exist (status {response.Status}); check HasValue before reading Value.");

    public override Response GetRawResponse() => response;
}
