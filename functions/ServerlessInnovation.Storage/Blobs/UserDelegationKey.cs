namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// A key obtained with a Microsoft Entra identity (<see cref="BlobServiceClient.GetUserDelegationKeyAsync"/>) that signs
/// user delegation SAS tokens (<see cref="BlobClient.GenerateUserDelegationSasUri"/>) without the account key.
/// </summary>
/// <remarks><see cref="Value"/> is a secret: whoever holds it can sign tokens until <see cref="SignedExpiresOn"/>.</remarks>
public sealed class UserDelegationKey
{
    /// <summary>The object id of the identity the key was issued to (<c>skoid</c>).</summary>
    public required string SignedObjectId { get; init; }

    /// <summary>The tenant of that identity (<c>sktid</c>).</summary>
    public required string SignedTenantId { get; init; }

    /// <summary>When the key becomes valid (<c>skt</c>).</summary>
    public required DateTimeOffset SignedStartsOn { get; init; }

    /// <summary>When the key expires (<c>ske</c>); tokens it signs expire no later.</summary>
    public required DateTimeOffset SignedExpiresOn { get; init; }

    /// <summary>The service the key is for: <c>b</c> (<c>sks</c>).</summary>
    public required string SignedService { get; init; }

    /// <summary>The service version that issued the key (<c>skv</c>).</summary>
    public required string SignedVersion { get; init; }

    /// <summary>The base64 key.</summary>
    public required string Value { get; init; }
}
