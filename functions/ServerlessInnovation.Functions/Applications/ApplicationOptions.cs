using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Applications;

/// <summary>Where applications live, how long things wait, and the key that signs match ids and access tokens.</summary>
public sealed class ApplicationOptions : IValidatableObject
{
    public const string SectionName = "Applications";
    private const string TableNamePattern = "^[A-Za-z][A-Za-z0-9]{2,62}$";

    [Required, RegularExpression(TableNamePattern)]
    public string ApplicationTable { get; set; } = "Applications";

    /// <summary>Idempotency keys: which application each <c>Idempotency-Key</c> created.</summary>
    [Required, RegularExpression(TableNamePattern)]
    public string RequestTable { get; set; } = "ApplicationRequests";

    /// <summary>
    /// Base64 of at least 32 random bytes. Signs match ids and derives access tokens; keep it secret (an app setting from
    /// Key Vault in Azure). Changing it invalidates outstanding match ids, not stored applications.
    /// </summary>
    [Required]
    public string SigningKey { get; set; } = "";

    /// <summary>How long a match id can be used to apply.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan MatchIdLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An application still submitted this long after it was queued is queued again by the sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the sweep may queue an application again before marking it failed.</summary>
    [Range(1, 20)]
    public int MaxRequeues { get; set; } = 3;

    /// <summary>
    /// How long a carrier's state, as this instance last read or wrote it, may decide an application without reading the
    /// carrier again. Only a decision that takes no seat rests on it alone (a seat is taken only against the carrier's
    /// current ETag), so this bounds how long a seat freed by another instance can go unseen. Zero: always read.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CarrierStateFreshFor { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SigningKeyBytes() is not { Length: >= 32 })
        {
            yield return new ValidationResult(
                "Applications:SigningKey must be base64 of at least 32 random bytes (for example: openssl rand -base64 32).",
                [nameof(SigningKey)]);
        }
    }

    public byte[]? SigningKeyBytes()
    {
        var buffer = new byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey, buffer, out var written) ? buffer[..written] : null;
    }
}

[OptionsValidator]
internal sealed partial class ApplicationOptionsValidator : IValidateOptions<ApplicationOptions>;
