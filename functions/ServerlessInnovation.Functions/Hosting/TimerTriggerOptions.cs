using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>Where the standalone timer schedulers keep each function's schedule status and its one-instance lease.</summary>
public sealed class TimerTriggerOptions
{
    public const string SectionName = "Triggers:Timers";

    /// <summary>Blob container (in the <c>Storage</c> account) holding <c>{Function}/status.json</c> and the lease blob <c>{Function}/lock</c>.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string Container { get; set; } = "timer-triggers";
}

[OptionsValidator]
internal sealed partial class TimerTriggerOptionsValidator : IValidateOptions<TimerTriggerOptions>;
