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
        ApproximateKm(origin.Latitude, origin.Longitude, Math.Cos(origin.Latitude * (Math.PI / 180)), Latitude, Longitude);

    /// <summary>The same approximation with the origin's cosine precomputed, for loops over many points.</summary>
    public static double ApproximateKm(double originLatitude, double originLongitude, double cosOriginLatitude, double latitude, double longitude)
    {
        var dx = (longitude - originLongitude) * cosOriginLatitude * KmPerDegreeLongitudeAtEquator;
        var dy = (latitude - originLatitude) * KmPerDegreeLatitude;
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
