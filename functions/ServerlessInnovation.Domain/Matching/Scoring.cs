using System.Numerics;
using ServerlessInnovation.Domain.Catalog;

namespace ServerlessInnovation.Domain.Matching;

/// <summary>
/// The value (0–1) of each criterion for one carrier and one startup. Pure functions of numbers, shared by the
/// column-store <see cref="MatchIndex"/> and any straightforward reference implementation.
/// </summary>
public static class Scoring
{
    public const double ExactIndustryFit = 1.0;
    public const double RelatedIndustryFit = 0.6;
    public const double GeneralIndustryFit = 0.35;

    /// <summary>Returned by <see cref="IndustryFit"/> when a specialised carrier does not take the industry.</summary>
    public const double OutsideFocus = -1;

    /// <summary>Proximity when a startup states no location and no district: the same for every carrier.</summary>
    public const double NeutralProximity = 0.5;

    /// <summary>Proximity of a carrier in the same city as a preferred district, but not in one.</summary>
    public const double SameCityProximity = 0.4;

    public static double IndustryFit(uint carrierIndustries, bool specialised, uint startupIndustryBit, uint relatedIndustries)
    {
        if ((carrierIndustries & startupIndustryBit) != 0)
        {
            return ExactIndustryFit;
        }
        if ((carrierIndustries & relatedIndustries) != 0)
        {
            return RelatedIndustryFit;
        }
        return specialised ? OutsideFocus : GeneralIndustryFit;
    }

    /// <summary>1 at the startup's location, falling linearly to 0 at <paramref name="radiusKm"/>.</summary>
    public static double ProximityByDistance(double distanceKm, double radiusKm) =>
        distanceKm >= radiusKm ? 0 : 1 - distanceKm / radiusKm;

    /// <summary>Share of the wanted services the carrier offers; 1 when nothing in particular is wanted.</summary>
    public static double ServicesCovered(byte offered, byte wanted) =>
        wanted == 0 ? 1 : (double)BitOperations.PopCount((uint)(offered & wanted)) / BitOperations.PopCount(wanted);

    /// <summary>
    /// Free space over need: at least 1 when the carrier can take the startup. A need in workstations is met by free
    /// workstations or by free area at <paramref name="areaPerWorkstationM2"/> each, whichever is larger.
    /// </summary>
    public static double CapacityRatio(double freeAreaM2, int freeWorkstations, double needAreaM2, int needWorkstations, double areaPerWorkstationM2) =>
        needWorkstations > 0
            ? Math.Max((double)freeWorkstations / needWorkstations, freeAreaM2 / (needWorkstations * areaPerWorkstationM2))
            : freeAreaM2 / needAreaM2;

    /// <summary>0 when the space just fits, 1 at <paramref name="fullHeadroomRatio"/> times the need or more.</summary>
    public static double VacancyHeadroom(double capacityRatio, double fullHeadroomRatio) =>
        Math.Clamp((capacityRatio - 1) / (fullHeadroomRatio - 1), 0, 1);

    /// <summary>
    /// A carrier's record on fixed scales (so a score does not shift when other carriers change): graduates count most,
    /// then high-tech enterprises cultivated, then enterprises in incubation; each on a log scale, full at 100, 50 and 200.
    /// </summary>
    public static double TrackRecordValue(TrackRecord record) =>
        0.5 * LogScale(record.Graduated, 100) + 0.3 * LogScale(record.HighTechEnterprises, 50) + 0.2 * LogScale(record.EnterprisesInIncubation, 200);

    private static double LogScale(int count, int full) => count <= 0 ? 0 : Math.Min(1, Math.Log(1 + count) / Math.Log(1 + full));
}
