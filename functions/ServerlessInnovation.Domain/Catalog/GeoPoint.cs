namespace ServerlessInnovation.Domain.Catalog;

/// <summary>A WGS-84 position in decimal degrees.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    /// <summary>Kilometres per degree of latitude (mean).</summary>
    public const double KmPerDegreeLatitude = 110.574;

    /// <summary>Kilometres per degree of longitude at the equator.</summary>
    public const double KmPerDegreeLongitudeAtEquator = 111.320;

    public bool IsValid =>
        double.IsFinite(Latitude) && double.IsFinite(Longitude) &&
        Latitude is >= -90 and <= 90 && Longitude is >= -180 and <= 180;

    /// <summary>
    /// Distance in kilometres by the equirectangular approximation around <paramref name="origin"/>:
    /// within a city its error is far below a metre per kilometre, and it needs one square root, no trigonometry per call.
    /// </summary>
    public double ApproximateKmFrom(GeoPoint origin) =>
        ApproximateKm(origin.Latitude, origin.Longitude, KmPerDegreeLongitudeAt(origin.Latitude), Latitude, Longitude);

    /// <summary>Kilometres per degree of longitude at <paramref name="latitude"/>.</summary>
    public static double KmPerDegreeLongitudeAt(double latitude) => Math.Cos(latitude * (Math.PI / 180)) * KmPerDegreeLongitudeAtEquator;

    /// <summary>The same approximation with the origin's <see cref="KmPerDegreeLongitudeAt"/> precomputed, for loops over many points.</summary>
    public static double ApproximateKm(double originLatitude, double originLongitude, double kmPerDegreeLongitude, double latitude, double longitude)
    {
        var dx = (longitude - originLongitude) * kmPerDegreeLongitude;
        var dy = (latitude - originLatitude) * KmPerDegreeLatitude;
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
