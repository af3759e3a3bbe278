namespace ServerlessInnovation.Domain.Applications;

/// <summary>Where an application stands. Every status but <see cref="Submitted"/> is final, except that a startup may withdraw.</summary>
public enum ApplicationStatus
{
    /// <summary>Received and queued; a decision follows within seconds.</summary>
    Submitted = 1,

    /// <summary>A seat is reserved at one of the chosen carriers, and the application is forwarded to it.</summary>
    Accepted = 2,

    /// <summary>A chosen carrier would admit the startup, but none has room now.</summary>
    Waitlisted = 3,

    /// <summary>No chosen carrier's entry rules admit the startup.</summary>
    Rejected = 4,

    /// <summary>The startup withdrew; any seat it held is released.</summary>
    Withdrawn = 5,

    /// <summary>Processing failed repeatedly; the application is kept for a person to look at.</summary>
    Failed = 6,
}

public static class ApplicationStatuses
{
    public static string Code(this ApplicationStatus status) => status switch
    {
        ApplicationStatus.Submitted => "submitted",
        ApplicationStatus.Accepted => "accepted",
        ApplicationStatus.Waitlisted => "waitlisted",
        ApplicationStatus.Rejected => "rejected",
        ApplicationStatus.Withdrawn => "withdrawn",
        ApplicationStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static LocalizedText Name(this ApplicationStatus status) => status switch
    {
        ApplicationStatus.Submitted => new("已提交，处理中", "Submitted, being processed"),
        ApplicationStatus.Accepted => new("已录取", "Accepted"),
        ApplicationStatus.Waitlisted => new("候补中", "Waitlisted"),
        ApplicationStatus.Rejected => new("未通过", "Rejected"),
        ApplicationStatus.Withdrawn => new("已撤回", "Withdrawn"),
        ApplicationStatus.Failed => new("处理失败", "Failed"),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? code, out ApplicationStatus status)
    {
        foreach (var candidate in Enum.GetValues<ApplicationStatus>())
        {
            if (string.Equals(candidate.Code(), code, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    /// <summary>Whether the application still waits for its decision.</summary>
    public static bool IsPending(this ApplicationStatus status) => status == ApplicationStatus.Submitted;
}
