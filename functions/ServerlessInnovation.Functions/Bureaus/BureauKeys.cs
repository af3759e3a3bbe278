using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Bureaus;

/// <summary>
/// The bureaus' API keys, as the SHA-256 hashes configured in <see cref="BureauOptions.KeyHashes"/>. A key is hashed and
/// compared with every configured hash in constant time, without stopping at a match, so how long the check takes says
/// nothing about which hash, or how much of one, a guess came close to.
/// </summary>
public sealed class BureauKeys(IOptions<BureauOptions> options)
{
    private readonly (Bureau Bureau, byte[] Hash)[] _hashes =
        [.. options.Value.KeyHashes.Select(entry => (Bureau.Find(entry.Key)!, Convert.FromHexString(entry.Value)))];

    /// <summary>The bureau whose key this is; null for any other text (empty, too long, or no bureau's key).</summary>
    public Bureau? Find(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > BureauAccess.MaxKeyLength)
        {
            return null;
        }
        Span<byte> utf8 = stackalloc byte[BureauAccess.MaxKeyLength * 3];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        try
        {
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(key, utf8)], hash);
            Bureau? found = null;
            foreach (var (bureau, expected) in _hashes)
            {
                var equal = CryptographicOperations.FixedTimeEquals(hash, expected);
                found = equal ? bureau : found;
            }
            return found;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }
}
