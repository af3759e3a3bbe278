using Azure;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// The Blob service's naming rules and limits, checked before anything is sent so a mistake surfaces as an
/// <see cref="ArgumentException"/> naming the argument rather than as a 400 from the service.
/// </summary>
internal static class BlobLimits
{
    public const int MaxBlobNameLength = 1024;
    public const int MaxPathSegments = 254;
    public const int MaxMetadataSize = 8 * 1024;
    public const int MaxBlocks = 50_000;
    public const int MaxListPageSize = 5000;
    public const long MaxSingleUploadSize = 5000L * 1024 * 1024;
    public const int MaxBlockSize = 256 * 1024 * 1024;
    public const int MaxConcurrency = 64;

    public static readonly TimeSpan MinLeaseDuration = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxLeaseDuration = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxBreakPeriod = TimeSpan.FromSeconds(60);

    /// <summary>3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public static void ValidateContainerName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        var valid = name.Length is >= 3 and <= 63
            && IsLowerAlphanumeric(name[0])
            && IsLowerAlphanumeric(name[^1])
            && name.All(c => IsLowerAlphanumeric(c) || c == '-')
            && !name.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new ArgumentException(
                $"'{name}' is not a valid container name: use 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
                paramName);
        }
    }

    /// <summary>
    /// 1 to 1024 characters in at most 254 segments; no control characters or lone surrogates; no segment ending in <c>.</c>
    /// (URL normalization would rewrite <c>.</c> and <c>..</c>); not ending in <c>/</c> or <c>\</c>.
    /// </summary>
    public static void ValidateBlobName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length is 0 or > MaxBlobNameLength)
        {
            throw new ArgumentException($"A blob name has 1 to {MaxBlobNameLength} characters; this one has {name.Length}.", paramName);
        }
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsControl(name[i]))
            {
                throw new ArgumentException($"The blob name has a control character (U+{(int)name[i]:X4}) at {i}.", paramName);
            }
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(name[i]))
            {
                throw new ArgumentException($"The blob name has an unpaired surrogate at {i}; it cannot be sent as UTF-8.", paramName);
            }
        }
        if (name[^1] is '/' or '\\')
        {
            throw new ArgumentException("A blob name must not end with '/' or '\\'.", paramName);
        }
        var segments = name.Split('/');
        if (segments.Length > MaxPathSegments)
        {
            throw new ArgumentException($"A blob name has at most {MaxPathSegments} path segments; this one has {segments.Length}.", paramName);
        }
        if (Array.Find(segments, segment => segment.EndsWith('.')) is { } dotted)
        {
            throw new ArgumentException($"The blob name segment '{dotted}' ends with '.', which URL normalization would change.", paramName);
        }
    }

    /// <summary>
    /// Names of lowercase letters and digits starting with a letter (C# identifiers whose Shared Key ordering is unambiguous),
    /// values of printable ASCII (HTTP header values), at most 8 KiB of names and values together.
    /// </summary>
    public static void ValidateMetadata(IDictionary<string, string>? metadata, string paramName)
    {
        if (metadata is null)
        {
            return;
        }
        var size = 0;
        foreach (var (name, value) in metadata)
        {
            if (string.IsNullOrEmpty(name) || !char.IsAsciiLetterLower(name[0]) || !name.All(IsLowerAlphanumeric))
            {
                throw new ArgumentException(
                    $"'{name}' is not a valid metadata name: use lowercase letters and digits, starting with a letter.", paramName);
            }
            ArgumentNullException.ThrowIfNull(value, paramName);
            if (!value.All(c => c is >= ' ' and <= '~'))
            {
                throw new ArgumentException($"The value of metadata '{name}' must be printable ASCII; base64- or percent-encode other text.", paramName);
            }
            size += name.Length + value.Length;
        }
        if (size > MaxMetadataSize)
        {
            throw new ArgumentException($"Metadata names and values total {size} characters; the Blob service allows {MaxMetadataSize}.", paramName);
        }
    }

    /// <summary>15 to 60 whole seconds, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static void ValidateLeaseDuration(TimeSpan duration, string paramName)
    {
        if (duration != Timeout.InfiniteTimeSpan && (duration < MinLeaseDuration || duration > MaxLeaseDuration || !IsWholeSeconds(duration)))
        {
            throw new ArgumentOutOfRangeException(paramName, duration,
                "A lease lasts 15 to 60 whole seconds, or is infinite (BlobLeaseClient.InfiniteLeaseDuration).");
        }
    }

    /// <summary>0 to 60 whole seconds.</summary>
    public static void ValidateBreakPeriod(TimeSpan? period, string paramName)
    {
        if (period is { } value && (value < TimeSpan.Zero || value > MaxBreakPeriod || !IsWholeSeconds(value)))
        {
            throw new ArgumentOutOfRangeException(paramName, value, "A lease break period is 0 to 60 whole seconds.");
        }
    }

    /// <summary>A range whose last byte is addressable (<see cref="HttpRange"/>'s constructor checks sign and zero length).</summary>
    public static void ValidateRange(HttpRange? range, string paramName)
    {
        if (range is { Length: { } length } value && length > long.MaxValue - value.Offset)
        {
            throw new ArgumentOutOfRangeException(paramName, value.ToString(), "The range's end is beyond the largest addressable byte.");
        }
    }

    /// <summary>Reads accept no <c>If-None-Match: *</c>.</summary>
    public static void ValidateReadConditions(BlobRequestConditions? conditions, string paramName)
    {
        if (conditions?.IfNoneMatch == ETag.All)
        {
            throw new ArgumentException("If-None-Match: * is not valid for a read; pass the ETag last read.", paramName);
        }
    }

    public static void ValidatePageSize(int? pageSize, string paramName)
    {
        if (pageSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, paramName);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxListPageSize, paramName);
        }
    }

    /// <summary>The transfer options with defaults applied, each checked against its range.</summary>
    public static (long InitialTransferSize, int BlockSize, int Concurrency) ResolveTransfer(StorageTransferOptions options, string paramName)
    {
        var initial = options.InitialTransferSize ?? StorageTransferOptions.DefaultInitialTransferSize;
        var blockSize = options.MaximumTransferSize ?? StorageTransferOptions.DefaultMaximumTransferSize;
        var concurrency = options.MaximumConcurrency ?? StorageTransferOptions.DefaultMaximumConcurrency;
        if (initial is < 1 or > MaxSingleUploadSize)
        {
            throw new ArgumentOutOfRangeException(paramName, initial, $"InitialTransferSize is 1 to {MaxSingleUploadSize} bytes (5000 MiB).");
        }
        if (blockSize is < 1 or > MaxBlockSize)
        {
            throw new ArgumentOutOfRangeException(paramName, blockSize, $"MaximumTransferSize is 1 to {MaxBlockSize} bytes (256 MiB).");
        }
        if (concurrency is < 1 or > MaxConcurrency)
        {
            throw new ArgumentOutOfRangeException(paramName, concurrency, $"MaximumConcurrency is 1 to {MaxConcurrency}.");
        }
        return (initial, blockSize, concurrency);
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static bool IsWholeSeconds(TimeSpan value) => value.Ticks % TimeSpan.TicksPerSecond == 0;
}
