namespace ServerlessInnovation.Domain.Catalog;

/// <summary>
/// The plane geometry the demo generator needs. Only +, −, ×, ÷ and square roots are used (cosines come from a
/// polynomial), because those are correctly rounded everywhere: the library <see cref="Math.Cos(double)"/> may differ
/// in the last bit between platforms.
/// </summary>
internal static class DemoGeography
{
    /// <summary>The point at <paramref name="offset"/> (a point of the unit disc) times <paramref name="radiusKm"/> from <paramref name="centre"/>, to 6 decimals.</summary>
    public static GeoPoint Around(GeoPoint centre, (double X, double Y) offset, double radiusKm)
    {
        var latitude = centre.Latitude + offset.Y * radiusKm / GeoPoint.KmPerDegreeLatitude;
        var longitude = centre.Longitude + offset.X * radiusKm / (GeoPoint.KmPerDegreeLongitudeAtEquator * CosDegrees(centre.Latitude));
        return new GeoPoint(Math.Round(latitude * 1e6) / 1e6, Math.Round(longitude * 1e6) / 1e6);
    }

    /// <summary>cos by its Taylor series to x¹⁰: error below 1e-9 up to 50°, plenty for these latitudes.</summary>
    public static double CosDegrees(double degrees)
    {
        var x = degrees * (Math.PI / 180);
        var x2 = x * x;
        return 1 - x2 / 2 * (1 - x2 / 12 * (1 - x2 / 30 * (1 - x2 / 56 * (1 - x2 / 90))));
    }
}
