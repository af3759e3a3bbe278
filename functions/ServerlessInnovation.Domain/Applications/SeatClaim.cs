using System.Globalization;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Applications;

public enum SeatKind
{
    /// <summary>Floor area in m².</summary>
    Area = 1,

    /// <summary>Workstations.</summary>
    Workstations = 2,
}

/// <summary>What an accepted application takes from a carrier: an area or a number of workstations.</summary>
public readonly record struct SeatClaim(SeatKind Kind, double Amount)
{
    /// <summary>
    /// The claim a need makes on a carrier as it is now, or null when it does not fit. A need in workstations takes free
    /// workstations when there are enough, else floor area at the policy's area per workstation (as matching counts it).
    /// </summary>
    public static SeatClaim? For(SpaceNeed need, Carrier carrier, double areaPerWorkstationM2)
    {
        if (need.IsWorkstations)
        {
            if (carrier.FreeWorkstations >= need.Workstations)
            {
                return new SeatClaim(SeatKind.Workstations, need.Workstations);
            }
            var area = need.Workstations * areaPerWorkstationM2;
            return carrier.FreeAreaM2 >= area ? new SeatClaim(SeatKind.Area, area) : null;
        }
        return carrier.FreeAreaM2 >= need.AreaM2 ? new SeatClaim(SeatKind.Area, need.AreaM2) : null;
    }

    /// <summary>The carrier with this claim taken from its free space.</summary>
    public Carrier TakeFrom(Carrier carrier) => Kind == SeatKind.Workstations
        ? carrier with { FreeWorkstations = carrier.FreeWorkstations - (int)Amount }
        : carrier with { FreeAreaM2 = carrier.FreeAreaM2 - Amount };

    /// <summary>The carrier with this claim given back.</summary>
    public Carrier GiveBackTo(Carrier carrier) => Kind == SeatKind.Workstations
        ? carrier with { FreeWorkstations = carrier.FreeWorkstations + (int)Amount }
        : carrier with { FreeAreaM2 = carrier.FreeAreaM2 + Amount };

    public LocalizedText Describe() => Kind == SeatKind.Workstations
        ? new($"{Amount.ToString("0", CultureInfo.InvariantCulture)}个工位", $"{Amount.ToString("0", CultureInfo.InvariantCulture)} workstations")
        : new($"{Amount.ToString("#,0.#", CultureInfo.InvariantCulture)}平方米", $"{Amount.ToString("#,0.#", CultureInfo.InvariantCulture)} m²");
}
