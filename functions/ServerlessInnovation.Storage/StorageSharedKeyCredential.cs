using System.Security.Cryptography;
using System.Text;

namespace ServerlessInnovation.Storage;

/// <summary>
/// A storage account name and one of its access keys, used to sign requests with Shared Key authorization.
/// The key is kept private: it never appears in a property, in <see cref="object.ToString"/> or in an exception message.
/// </summary>
public sealed class StorageSharedKeyCredential
{
    private readonly byte[] _accountKey;

    /// <summary>Creates a credential for <paramref name="accountName"/> signed with <paramref name="accountKey"/>.</summary>
    /// <param name="accountName">The storage account name, e.g. <c>devstoreaccount1</c>.</param>
    /// <param name="accountKey">The account access key, base64-encoded as the portal and connection strings show it.</param>
    /// <exception cref="ArgumentException">The name is empty, or the key is empty or not valid base64.</exception>
    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        AccountName = accountName;
        _accountKey = DecodeKey(accountKey)
            ?? throw new ArgumentException("The account key is not valid base64.", nameof(accountKey));
    }

    /// <summary>The storage account name.</summary>
    public string AccountName { get; }

    /// <summary>The base64 HMAC-SHA256 of <paramref name="message"/> (UTF-8) keyed with the account key: a Shared Key signature.</summary>
    internal string ComputeHmacSha256(string message) =>
        Convert.ToBase64String(HMACSHA256.HashData(_accountKey, Encoding.UTF8.GetBytes(message)));

    /// <summary>The decoded key, or null when <paramref name="accountKey"/> is not (non-empty) base64.</summary>
    internal static byte[]? DecodeKey(string accountKey)
    {
        var buffer = new byte[accountKey.Length];
        return Convert.TryFromBase64String(accountKey, buffer, out var written) && written > 0 ? buffer[..written] : null;
    }
}
