using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Statistics.Charts;

/// <summary>One labelled value: a bar of a bar chart, or a stage of a funnel.</summary>
/// <param name="Label">What the value counts; the Chinese is drawn, both languages are in the bar's tooltip.</param>
/// <param name="Value">The value; NaN, infinities and negatives are drawn as 0.</param>
public sealed record ChartBar(LocalizedText Label, double Value);
