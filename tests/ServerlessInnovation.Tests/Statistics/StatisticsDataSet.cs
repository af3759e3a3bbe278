using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions.Applications;

namespace ServerlessInnovation.Tests.Statistics;

/// <summary>
/// Applications as they pile up over some days, generated from a seed: every status, decision times from milliseconds
/// to hours, startups of every stage and industry, choices across the districts. For the statistics tests and benchmark.
/// </summary>
internal static class StatisticsDataSet
{
    private static readonly StartupStage[] Stages = [StartupStage.Green, StartupStage.Yellow, StartupStage.Red];
    private static readonly ApplicationStatus[] Statuses = Enum.GetValues<ApplicationStatus>();

    /// <summary><paramref name="count"/> applications submitted during the <paramref name="days"/> days before <paramref name="end"/>.</summary>
    public static IEnumerable<ApplicationRecord> Applications(IReadOnlyList<Carrier> carriers, int count, DateTimeOffset end, int days, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var submittedAt = end - TimeSpan.FromSeconds(random.NextDouble() * days * 86_400);
            var status = Statuses[random.Next(Statuses.Length)];
            DateTimeOffset? decidedAt = status is ApplicationStatus.Submitted or ApplicationStatus.Failed
                ? null
                : submittedAt + TimeSpan.FromMilliseconds(Math.Pow(10, random.NextDouble() * 7)); // 1 ms to about 3 hours
            var choices = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => carriers[random.Next(carriers.Count)]).DistinctBy(c => c.Id).ToList();
            var profile = new StartupProfile
            {
                Stage = Stages[random.Next(Stages.Length)],
                Industry = Industries.All[random.Next(Industries.All.Count)],
                TeamSize = 1 + random.Next(50),
                RdStaffSharePercent = random.Next(101),
                LastYearRevenueCny = random.Next(5_000_000),
                RegisteredOn = DateOnly.FromDateTime(submittedAt.UtcDateTime).AddDays(-random.Next(700)),
                Space = SpaceNeed.Area(20 + random.Next(500)),
            };
            var id = submittedAt.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-" +
                     Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));
            yield return new ApplicationRecord
            {
                Id = id,
                Status = status,
                SubmittedAt = submittedAt,
                DecidedAt = decidedAt,
                Profile = ProfileRecord.From(profile),
                Choices = [.. choices.Select(c => new ChosenCarrier(c.Id, c.DistrictCode))],
                CarrierId = status is ApplicationStatus.Accepted or ApplicationStatus.Waitlisted ? choices[^1].Id : null,
                TokenHash = new string('0', 64),
                Reasons = [new LocalizedText("生成的申请", "Generated application")],
            };
        }
    }
}
