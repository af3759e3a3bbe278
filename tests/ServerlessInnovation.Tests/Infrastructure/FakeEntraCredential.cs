using System.Buffers.Text;
using System.Text.Json;
using Azure.Core;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// A Microsoft Entra identity for the emulator started with <c>--oauth basic</c>: it mints an unsigned JWT
/// (<c>alg: none</c>) with the claims Azurite checks — the storage audience, a v1 issuer of the tenant, object and tenant
/// ids, and a lifetime around now. Azurite does not check signatures; Azure would refuse such a token.
/// </summary>
public sealed class FakeEntraCredential(string objectId, string tenantId) : TokenCredential
{
    public string ObjectId => objectId;

    public string TenantId => tenantId;

    /// <summary>The scopes of each token asked for.</summary>
    public List<string[]> RequestedScopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (RequestedScopes)
        {
            RequestedScopes.Add(requestContext.Scopes);
        }
        var now = TimeProvider.System.GetUtcNow();
        var header = Encode(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" });
        var payload = Encode(new Dictionary<string, object>
        {
            ["aud"] = "https://storage.azure.com",
            ["iss"] = $"https://sts.windows.net/{tenantId}/",
            ["oid"] = objectId,
            ["tid"] = tenantId,
            ["iat"] = now.AddSeconds(-60).ToUnixTimeSeconds(),
            ["nbf"] = now.AddSeconds(-60).ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        });
        return new AccessToken($"{header}.{payload}.", now.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Encode(Dictionary<string, object> claims) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
}
