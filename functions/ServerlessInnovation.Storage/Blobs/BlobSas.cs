using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// Blob shared access signatures for <c>sv</c> 2025-11-05: the service SAS (16-line string-to-sign, signed with the
/// account key) and the user delegation SAS (26 lines, signed with a user delegation key).
/// </summary>
internal static class BlobSas
{
    /// <summary>How far back a token's start is dated, so a server whose clock is behind ours accepts it at once.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>The signed version, which decides the string-to-sign layout.</summary>
    public const string Version = StorageApiVersions.Blob;

    /// <summary>The <c>sp</c> letters in the service's canonical order.</summary>
    public static string Permissions(BlobSasPermissions permissions, string paramName)
    {
        if (permissions == 0 || (permissions & ~BlobSasPermissions.All) != 0)
        {
            throw new ArgumentOutOfRangeException(paramName, permissions, "Give one or more of Read, Add, Create, Write and Delete.");
        }
        var letters = new StringBuilder(5);
        foreach (var (flag, letter) in (ReadOnlySpan<(BlobSasPermissions, char)>)
                 [(BlobSasPermissions.Read, 'r'), (BlobSasPermissions.Add, 'a'), (BlobSasPermissions.Create, 'c'), (BlobSasPermissions.Write, 'w'), (BlobSasPermissions.Delete, 'd')])
        {
            if (permissions.HasFlag(flag))
            {
                letters.Append(letter);
            }
        }
        return letters.ToString();
    }

    /// <summary>ISO 8601 UTC to the second, e.g. <c>2026-11-22T02:55:16Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>https</c>, or <c>https,http</c> for an http endpoint (the emulator), which a token marked https-only would not reach.</summary>
    public static string Protocol(Uri endpoint) => endpoint.Scheme == Uri.UriSchemeHttps ? "https" : "https,http";

    /// <summary>
    /// <c>sp, st, se, canonicalizedResource, si, sip, spr, sv, sr, snapshotTime, ses, rscc, rscd, rsce, rscl, rsct</c>,
    /// joined by <c>\n</c>; unused fields are empty.
    /// </summary>
    public static string ServiceStringToSign(SasFields fields) => string.Join('\n',
        fields.Permissions, fields.StartsOn, fields.ExpiresOn, fields.CanonicalResource, "", "", fields.Protocol, Version, fields.Resource,
        "", "", "", "", "", "", "");

    /// <summary>
    /// <c>sp, st, se, canonicalizedResource, skoid, sktid, skt, ske, sks, skv, saoid, suoid, scid, skdutid, sduoid, sip, spr,
    /// sv, sr, snapshotTime, ses, rscc, rscd, rsce, rscl, rsct</c>, joined by <c>\n</c>; unused fields are empty.
    /// </summary>
    public static string UserDelegationStringToSign(SasFields fields, UserDelegationKey key) => string.Join('\n',
        fields.Permissions, fields.StartsOn, fields.ExpiresOn, fields.CanonicalResource,
        key.SignedObjectId, key.SignedTenantId, FormatTime(key.SignedStartsOn), FormatTime(key.SignedExpiresOn), key.SignedService, key.SignedVersion,
        "", "", "", "", "", "", fields.Protocol, Version, fields.Resource, "", "", "", "", "", "", "");

    /// <summary>The service SAS query: <c>sv, spr, st, se, sr, sp, sig</c>.</summary>
    public static string ServiceQuery(SasFields fields, string signature) => Query(
        [("sv", Version), ("spr", fields.Protocol), ("st", fields.StartsOn), ("se", fields.ExpiresOn), ("sr", fields.Resource),
            ("sp", fields.Permissions), ("sig", signature)]);

    /// <summary>The user delegation SAS query: <c>sv, spr, st, se, skoid, sktid, skt, ske, sks, skv, sr, sp, sig</c>.</summary>
    public static string UserDelegationQuery(SasFields fields, UserDelegationKey key, string signature) => Query(
        [("sv", Version), ("spr", fields.Protocol), ("st", fields.StartsOn), ("se", fields.ExpiresOn),
            ("skoid", key.SignedObjectId), ("sktid", key.SignedTenantId), ("skt", FormatTime(key.SignedStartsOn)), ("ske", FormatTime(key.SignedExpiresOn)),
            ("sks", key.SignedService), ("skv", key.SignedVersion), ("sr", fields.Resource), ("sp", fields.Permissions), ("sig", signature)]);

    /// <summary>The base64 HMAC-SHA256 of <paramref name="stringToSign"/> keyed with the decoded user delegation key.</summary>
    public static string Sign(UserDelegationKey key, string stringToSign, string paramName)
    {
        var secret = StorageSharedKeyCredential.DecodeKey(key.Value)
            ?? throw new ArgumentException("The user delegation key's value is not base64.", paramName);
        return Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string Query(ReadOnlySpan<(string Name, string Value)> parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            query.Append(query.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return query.ToString();
    }
}

/// <summary>The fields a blob SAS signs whatever its key.</summary>
/// <param name="Permissions"><c>sp</c>, e.g. <c>cw</c>.</param>
/// <param name="StartsOn"><c>st</c>, formatted.</param>
/// <param name="ExpiresOn"><c>se</c>, formatted.</param>
/// <param name="CanonicalResource"><c>/blob/{account}/{container}/{blob}</c>, with the blob name unescaped.</param>
/// <param name="Protocol"><c>spr</c>.</param>
/// <param name="Resource"><c>sr</c>: <c>b</c> for a blob.</param>
internal readonly record struct SasFields(string Permissions, string StartsOn, string ExpiresOn, string CanonicalResource, string Protocol, string Resource);
