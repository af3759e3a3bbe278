using System.Numerics;
using System.Runtime.CompilerServices;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Matching;

/// <summary>The constants of the criteria, and the carrier-only values that do not depend on a startup.</summary>
public static class Scoring
{
    public const double ExactIndustryFit = 1.0;
    public const double RelatedIndustryFit = 0.6;
    public const double GeneralIndustryFit = 0.35;

    /// <summary>Returned by <see cref="ScoringContext.IndustryFit"/> when a specialised carrier does not take the industry.</summary>
    public const double OutsideFocus = -1;

    /// <summary>Proximity when a startup states no location and no district: the same for every carrier.</summary>
    public const double NeutralProximity = 0.5;

    /// <summary>Proximity of a carrier in the same city as a preferred district, but not in one.</summary>
    public const double SameCityProximity = 0.4;

    /// <summary>
    /// A carrier's record on fixed scales (so a score does not shift when other carriers change): graduates count most,
    /// then high-tech enterprises cultivated, then enterprises in incubation; each on a log scale, full at 100, 50 and 200.
    /// </summary>
    public static double TrackRecordValue(TrackRecord record) =>
        0.5 * LogScale(record.Graduated, 100) + 0.3 * LogScale(record.HighTechEnterprises, 50) + 0.2 * LogScale(record.EnterprisesInIncubation, 200);

    private static double LogScale(int count, int full) => count <= 0 ? 0 : Math.Min(1, Math.Log(1 + count) / Math.Log(1 + full));
}

/// <summary>
/// One startup's side of the criteria, worked out once per match (masks, reciprocals, the distance projection), so that
/// valuing a carrier is a few multiplications. Every path that scores — the column-store <see cref="MatchIndex"/> and any
/// straightforward reference — goes through here, so their numbers agree to the bit.
/// </summary>
public readonly struct ScoringContext
{
    private readonly uint _industryBit;
    private readonly uint _relatedIndustries;
    private readonly byte _wantedServices;
    private readonly double _inverseWantedCount;
    private readonly int _needWorkstations;
    private readonly double _inverseNeedArea;
    private readonly double _inverseNeedWorkstations;
    private readonly double _inverseNeedWorkstationArea;
    private readonly double _inverseHeadroomSpan;
    private readonly double _originLatitude;
    private readonly double _originLongitude;
    private readonly double _kmPerDegreeLongitude;
    private readonly double _inverseRadiusKm;

    public ScoringContext(StartupProfile profile, MatchingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(policy);
        Weights = policy.Weights;
        _industryBit = 1u << profile.Industry.Bit;
        _relatedIndustries = Industries.RelatedTo(profile.Industry).Mask;
        _wantedServices = (byte)profile.WantedServices;
        _inverseWantedCount = _wantedServices == 0 ? 0 : 1.0 / BitOperations.PopCount(_wantedServices);
        _needWorkstations = profile.Space.Workstations;
        _inverseNeedArea = profile.Space.IsWorkstations ? 0 : 1.0 / profile.Space.AreaM2;
        _inverseNeedWorkstations = profile.Space.IsWorkstations ? 1.0 / profile.Space.Workstations : 0;
        _inverseNeedWorkstationArea = profile.Space.IsWorkstations ? 1.0 / (profile.Space.Workstations * policy.AreaPerWorkstationM2) : 0;
        _inverseHeadroomSpan = 1.0 / (policy.FullHeadroomRatio - 1);
        _inverseRadiusKm = 1.0 / policy.ProximityRadiusKm;
        HasPreferences = profile.PreferredDistricts.Count > 0;
        if (profile.Location is { } origin)
        {
            HasLocation = true;
            _originLatitude = origin.Latitude;
            _originLongitude = origin.Longitude;
            _kmPerDegreeLongitude = GeoPoint.KmPerDegreeLongitudeAt(origin.Latitude);
        }
    }

    public MatchWeights Weights { get; }

    public bool HasLocation { get; }

    /// <summary>Whether the startup named preferred districts (known or not: an unknown one just never matches).</summary>
    public bool HasPreferences { get; }

    /// <summary>1 for the startup's own industry, 0.6 for a related one, 0.35 at a comprehensive carrier; <see cref="Scoring.OutsideFocus"/> at a specialised carrier of other industries.</summary>
    public double IndustryFit(uint carrierIndustries, bool specialised)
    {
        if ((carrierIndustries & _industryBit) != 0)
        {
            return Scoring.ExactIndustryFit;
        }
        if ((carrierIndustries & _relatedIndustries) != 0)
        {
            return Scoring.RelatedIndustryFit;
        }
        return specialised ? Scoring.OutsideFocus : Scoring.GeneralIndustryFit;
    }

    /// <summary>
    /// Free space over need: at least 1 when the carrier can take the startup. A need in workstations is met by free
    /// workstations or by free area at the policy's area per workstation, whichever is larger.
    /// </summary>
    public double CapacityRatio(double freeAreaM2, int freeWorkstations) =>
        _needWorkstations > 0
            ? Math.Max(freeWorkstations * _inverseNeedWorkstations, freeAreaM2 * _inverseNeedWorkstationArea)
            : freeAreaM2 * _inverseNeedArea;

    /// <summary>0 when the space just fits, 1 at the policy's full-headroom ratio or more.</summary>
    public double VacancyHeadroom(double capacityRatio) => Math.Clamp((capacityRatio - 1) * _inverseHeadroomSpan, 0, 1);

    /// <summary>Share of the wanted services the carrier offers; 1 when nothing in particular is wanted.</summary>
    public double ServicesCovered(byte offeredServices) =>
        _wantedServices == 0 ? 1 : BitOperations.PopCount((uint)(offeredServices & _wantedServices)) * _inverseWantedCount;

    /// <summary>Distance from the startup's location, by the equirectangular approximation (accurate within a city).</summary>
    public double DistanceKm(double latitude, double longitude) =>
        GeoPoint.ApproximateKm(_originLatitude, _originLongitude, _kmPerDegreeLongitude, latitude, longitude);

    /// <summary>
    /// The better of distance (1 at the startup, 0 at the policy's radius) and district preference (1 in a preferred
    /// district, 0.4 in the same city); neutral when the startup gave neither.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Proximity(double latitude, double longitude, bool inPreferredDistrict, bool inPreferredCity)
    {
        if (!HasLocation && !HasPreferences)
        {
            return Scoring.NeutralProximity;
        }
        if (inPreferredDistrict)
        {
            return 1;
        }
        var value = HasLocation ? Math.Max(0, 1 - DistanceKm(latitude, longitude) * _inverseRadiusKm) : 0;
        return inPreferredCity ? Math.Max(value, Scoring.SameCityProximity) : value;
    }

    /// <summary>The weighted sum, in one fixed order.</summary>
    public double Score(double industry, double proximity, double services, double vacancy, double tier, double trackRecord) =>
        Weights.Combine(industry, proximity, services, vacancy, tier, trackRecord);
}
