using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain.Matching;

namespace ServerlessInnovation.Functions.MatchCarriers;

/// <summary>Tuning of matching, from configuration section <c>Matching</c>; checked at startup by the domain's own rules.</summary>
public sealed class MatchingOptions
{
    public const string SectionName = "Matching";

    public WeightOptions Weights { get; set; } = new();
    public double ProximityRadiusKm { get; set; } = MatchingPolicy.Default.ProximityRadiusKm;
    public double AreaPerWorkstationM2 { get; set; } = MatchingPolicy.Default.AreaPerWorkstationM2;
    public double FullHeadroomRatio { get; set; } = MatchingPolicy.Default.FullHeadroomRatio;

    /// <summary>Results returned when a request does not say how many.</summary>
    public int DefaultTop { get; set; } = 10;

    /// <summary>Most results a request may ask for.</summary>
    public int MaxTop { get; set; } = 50;

    public sealed class WeightOptions
    {
        public double Industry { get; set; } = MatchWeights.Default.Industry;
        public double Proximity { get; set; } = MatchWeights.Default.Proximity;
        public double Services { get; set; } = MatchWeights.Default.Services;
        public double Vacancy { get; set; } = MatchWeights.Default.Vacancy;
        public double Tier { get; set; } = MatchWeights.Default.Tier;
        public double TrackRecord { get; set; } = MatchWeights.Default.TrackRecord;
    }

    public MatchingPolicy ToPolicy() => new(
        new MatchWeights(Weights.Industry, Weights.Proximity, Weights.Services, Weights.Vacancy, Weights.Tier, Weights.TrackRecord),
        ProximityRadiusKm, AreaPerWorkstationM2, FullHeadroomRatio);
}

internal sealed class MatchingOptionsValidator : IValidateOptions<MatchingOptions>
{
    public ValidateOptionsResult Validate(string? name, MatchingOptions options)
    {
        var problems = options.ToPolicy().Validate().ToList();
        if (options.MaxTop is < 1 or > MatchIndex.MaxTop)
        {
            problems.Add($"MaxTop must be between 1 and {MatchIndex.MaxTop}, not {options.MaxTop}.");
        }
        if (options.DefaultTop < 1 || options.DefaultTop > options.MaxTop)
        {
            problems.Add($"DefaultTop must be between 1 and MaxTop ({options.MaxTop}), not {options.DefaultTop}.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => "Matching: " + p));
    }
}
