using System.Collections.ObjectModel;
using System.Globalization;

namespace ServerlessInnovation.Domain.Catalog;

/// <summary>
/// Synthetic cities and districts across mainland China for the national demo catalog, and the plane geometry the
/// generator needs. Only +, −, ×, ÷ and square roots are used (cosines come from a polynomial), because those are
/// correctly rounded everywhere: the library <see cref="Math.Cos(double)"/> may differ in the last bit between platforms.
/// </summary>
internal static class DemoGeography
{
    public const int CityCount = 300;

    private const ulong Seed = 0x5EED_C17E_5000_0300;

    /// <summary>Synthetic cities keep this far from Hangzhou, whose real districts are part of the national catalog.</summary>
    private const double HangzhouClearanceKm = 120;

    private const double MinCitySpacingKm = 45;

    private static readonly GeoPoint HangzhouCentre = new(30.27, 120.16);

    /// <summary>
    /// About 1,800 districts of <see cref="CityCount"/> cities, each with the weight of its share of carriers: city 001 is
    /// the largest (weight 1/√rank, 12–13 districts), city 300 the smallest (3–4 districts).
    /// </summary>
    public static IReadOnlyList<(DemoLocale Locale, double Weight)> SyntheticDistricts => Synthetic.Value;

    private static readonly Lazy<ReadOnlyCollection<(DemoLocale Locale, double Weight)>> Synthetic = new(Generate);

    private static ReadOnlyCollection<(DemoLocale Locale, double Weight)> Generate()
    {
        var random = new DemoRandom(Seed);
        var cityCentres = new List<GeoPoint>(CityCount);
        var districts = new List<(DemoLocale, double)>(CityCount * 6);
        for (var rank = 1; rank <= CityCount; rank++)
        {
            var centre = CityCentre(random, cityCentres);
            cityCentres.Add(centre);
            var cityCode = string.Create(CultureInfo.InvariantCulture, $"c{rank:D3}");
            var cityName = new LocalizedText(
                string.Create(CultureInfo.InvariantCulture, $"城市{rank:D3}"), string.Create(CultureInfo.InvariantCulture, $"City {rank:D3}"));
            var size = 1 / Math.Sqrt(rank);
            var smallness = (double)(rank - 1) / (CityCount - 1);
            var districtCount = 3 + (int)(9 * (1 - smallness) * (1 - smallness)) + random.Next(2);
            for (var number = 1; number <= districtCount; number++)
            {
                // Two central districts, the others on a ring that widens with the city.
                var core = number <= 2;
                var district = new District(
                    string.Create(CultureInfo.InvariantCulture, $"{cityCode}-d{number:D2}"),
                    new(string.Create(CultureInfo.InvariantCulture, $"{cityName.Zh}·区{number}"),
                        string.Create(CultureInfo.InvariantCulture, $"{cityName.En} District {number}")),
                    cityCode, cityName,
                    Around(centre, random.InUnitDisc(), core ? 4 : 6 + 2.0 * districtCount));
                var weight = size / districtCount * random.Between(0.5, 1.5) * (core ? 1.5 : 1);
                districts.Add((Locale(random, district, cityName.Zh, core), weight));
            }
        }
        return districts.AsReadOnly();
    }

    /// <summary>The point at <paramref name="offset"/> (a point of the unit disc) times <paramref name="radiusKm"/> from <paramref name="centre"/>, to 6 decimals.</summary>
    public static GeoPoint Around(GeoPoint centre, (double X, double Y) offset, double radiusKm)
    {
        var latitude = centre.Latitude + offset.Y * radiusKm / GeoPoint.KmPerDegreeLatitude;
        var longitude = centre.Longitude + offset.X * radiusKm / (GeoPoint.KmPerDegreeLongitudeAtEquator * CosDegrees(centre.Latitude));
        return new GeoPoint(Math.Round(latitude * 1e6) / 1e6, Math.Round(longitude * 1e6) / 1e6);
    }

    /// <summary>The equirectangular distance of <see cref="GeoPoint.ApproximateKmFrom"/>, with the polynomial cosine.</summary>
    public static double Km(GeoPoint from, GeoPoint to) =>
        GeoPoint.ApproximateKm(from.Latitude, from.Longitude, CosDegrees(from.Latitude) * GeoPoint.KmPerDegreeLongitudeAtEquator, to.Latitude, to.Longitude);

    /// <summary>cos by its Taylor series to x¹⁰: error below 1e-9 up to 50°, plenty for these latitudes.</summary>
    public static double CosDegrees(double degrees)
    {
        var x = degrees * (Math.PI / 180);
        var x2 = x * x;
        return 1 - x2 / 2 * (1 - x2 / 12 * (1 - x2 / 30 * (1 - x2 / 56 * (1 - x2 / 90))));
    }

    private static GeoPoint CityCentre(DemoRandom random, List<GeoPoint> taken)
    {
        for (var attempt = 0; attempt < 100_000; attempt++)
        {
            var latitude = random.Between(20.0, 46.0);
            // More cities towards the populous east.
            var longitude = 98 + 26 * Math.Sqrt(random.NextDouble());
            var point = new GeoPoint(Math.Round(latitude * 1e4) / 1e4, Math.Round(longitude * 1e4) / 1e4);
            if (OnMainland(point) && Km(point, HangzhouCentre) >= HangzhouClearanceKm && taken.TrueForAll(t => Km(t, point) >= MinCitySpacingKm))
            {
                return point;
            }
        }
        throw new InvalidOperationException("No room left for another synthetic city.");
    }

    /// <summary>
    /// A rough outline of mainland China inside lat 20–46, lon 98–124: the coast by latitude band (the Bohai and the
    /// Liaodong peninsula cut square), minus the southern neighbours and Mongolia.
    /// </summary>
    private static bool OnMainland(GeoPoint point)
    {
        var (latitude, longitude) = (point.Latitude, point.Longitude);
        var coast = latitude switch
        {
            < 21.5 => 110.5,
            < 22.0 => 112.0,
            < 22.5 => 114.0,
            < 23.0 => 115.5,
            < 24.0 => 117.0,
            < 25.0 => 118.7,
            < 26.5 => 119.6,
            < 28.0 => 120.6,
            < 30.0 => 121.6,
            < 32.0 => 121.8,
            < 33.0 => 120.9,
            < 35.0 => 119.5,
            < 36.0 => 120.0,
            < 37.5 => 121.0,
            < 39.5 => 118.5,
            < 40.5 => 119.8,
            _ => 124.0,
        };
        return longitude <= coast
            && !(latitude < 21.5 && longitude < 109.5)
            && !(latitude < 22.8 && longitude < 106.8)
            && !(latitude > 42.0 && longitude < 111.0)
            && !(latitude > 43.5 && longitude < 116.0)
            && !(latitude > 45.0 && longitude < 119.0);
    }

    private static DemoLocale Locale(DemoRandom random, District district, string cityZh, bool core)
    {
        var places = DemoVocabulary.SyntheticPlaces.ToList();
        random.Shuffle(places);
        places.RemoveRange(6, places.Count - 6);
        var streets = DemoVocabulary.SyntheticStreets.ToList();
        random.Shuffle(streets);
        streets.RemoveRange(5, streets.Count - 5);

        // Every industry weighs 0–3; an industry a place is known for gets 2 more.
        var weights = new int[Industries.All.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = random.Next(4);
        }
        foreach (var place in places)
        {
            if (place.Hint is { } hint)
            {
                weights[hint.Bit] += 2;
            }
        }
        var industries = Industries.All.Where(i => weights[i.Bit] > 0).Select(i => (i, weights[i.Bit])).ToList();
        if (industries.Count == 0)
        {
            industries.Add((Industries.DigitalEconomy, 1));
        }

        return new DemoLocale(district, cityZh + "·", [], cityZh, places, streets, industries, core ? 6 : 9,
            "省科学技术厅", cityZh + "科学技术局", district.Name.Zh + "科学技术局");
    }
}
