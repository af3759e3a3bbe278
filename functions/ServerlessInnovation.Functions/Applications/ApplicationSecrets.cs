using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Applications;

/// <summary>
/// The two secrets applications rely on, both derived from <see cref="ApplicationOptions.SigningKey"/>:
/// a match id is a signed, expiring copy of the profile a startup matched with (no storage on the match path);
/// an access token is an HMAC of the application id, given to the applicant only and stored as a SHA-256 hash.
/// </summary>
public sealed class ApplicationSecrets
{
    public const int MaxMatchIdLength = 4096;
    private const int MacBytes = 16;

    private readonly byte[] _matchKey;
    private readonly byte[] _accessKey;
    private readonly TimeSpan _matchIdLifetime;

    public ApplicationSecrets(IOptions<ApplicationOptions> options)
    {
        var key = options.Value.SigningKeyBytes() ?? throw new InvalidOperationException("Applications:SigningKey is not base64.");
        // One key per purpose: a match id can never pass for an access token or the other way round.
        _matchKey = HMACSHA256.HashData(key, "match-id/v1"u8);
        _accessKey = HMACSHA256.HashData(key, "access-token/v1"u8);
        _matchIdLifetime = options.Value.MatchIdLifetime;
    }

    /// <summary><c>base64url(JSON) "." base64url(MAC)</c>: the profile and when it was issued, signed.</summary>
    public string CreateMatchId(ProfileRecord profile, DateTimeOffset issuedAt)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new MatchIdPayload(profile, issuedAt.ToUnixTimeSeconds()), ApplicationJsonContext.Default.MatchIdPayload);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_matchKey, payload).AsSpan(0, MacBytes));
    }

    /// <summary>The profile in a match id this service issued within the lifetime; null for anything else (forged, expired, mangled).</summary>
    public ProfileRecord? ReadMatchId(string matchId, DateTimeOffset now)
    {
        if (matchId.Length > MaxMatchIdLength || matchId.Split('.') is not [var payloadText, var macText])
        {
            return null;
        }
        try
        {
            var payload = Base64Url.DecodeFromChars(payloadText);
            var mac = Base64Url.DecodeFromChars(macText);
            if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_matchKey, payload).AsSpan(0, MacBytes)))
            {
                return null;
            }
            var read = JsonSerializer.Deserialize(payload, ApplicationJsonContext.Default.MatchIdPayload);
            var issued = DateTimeOffset.FromUnixTimeSeconds(read!.IssuedAt);
            return issued <= now + TimeSpan.FromMinutes(5) && now - issued <= _matchIdLifetime ? read.Profile : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The applicant's access token for an application: 43 URL-safe characters.</summary>
    public string AccessToken(string applicationId) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_accessKey, Encoding.UTF8.GetBytes(applicationId)));

    /// <summary>What is stored instead of the token: its SHA-256, hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="presented"/> is the token whose hash is <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string? presented, string? storedHash) =>
        presented is { Length: > 0 and <= 128 } && storedHash is { Length: 64 } &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
}

public sealed record MatchIdPayload(ProfileRecord Profile, long IssuedAt);
