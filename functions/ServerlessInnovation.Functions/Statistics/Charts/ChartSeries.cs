using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Statistics.Charts;

/// <summary>
/// A named row of values, one per category of a stacked bar chart or one per date of a trend, in the same order.
/// </summary>
/// <param name="Label">The series' name in the legend.</param>
/// <param name="Values">The values; NaN, infinities and negatives are drawn as 0.</param>
public sealed record ChartSeries(LocalizedText Label, IReadOnlyList<double> Values);
