using System.Collections.Frozen;
using System.Runtime.InteropServices;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;

namespace ServerlessInnovation.Domain.Matching;

/// <summary>
/// An immutable, in-memory snapshot of the catalog laid out for matching: one array per attribute (a column store),
/// with entry rules compiled to thresholds and each carrier's tier and track record precomputed. A match is one pass
/// over the columns with no allocation per carrier, keeping the best k in a heap.
/// </summary>
public sealed class MatchIndex
{
    public const int MaxTop = 100;

    private const byte IncubatorBit = 1;
    private const byte MakerSpaceBit = 2;

    // Fixed exclusion reasons; entry-rule reasons follow, one per distinct (kind, threshold).
    private const int TypeReason = 0;
    private const int VacancyReason = 1;
    private const int FocusReason = 2;

    private readonly Carrier[] _carriers;
    private readonly District[] _districtOf;
    private readonly TierLevel?[] _tierOf;
    private readonly FrozenDictionary<string, int> _positionById;
    private readonly FrozenDictionary<string, District> _districtsByCode;
    private readonly FrozenDictionary<string, int> _districtIdByCode;
    private readonly int[] _cityOfDistrict;
    private readonly int _cityCount;

    // What a match reads for every carrier, one row per carrier, in id order.
    private readonly Row[] _rows;

    // Read only for carriers that fail a rule: which exclusion reason each rule is.
    private readonly int[] _ageReason;
    private readonly int[] _revenueReason;
    private readonly int[] _techSmeReason;
    private readonly int[] _rdShareReason;
    private readonly int[] _stageReason;
    private readonly EntryRule?[] _ruleReasons;

    /// <summary>A carrier's attributes as matching reads them: entry rules compiled to thresholds, tier and record precomputed.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Row
    {
        public double FreeArea;
        public double Latitude;
        public double Longitude;
        public double Tier;
        public double TrackRecord;
        public long MaxRevenue;
        public int FreeWorkstations;
        public int MaxAgeMonths;
        public int District;
        public int City;
        public uint Industries;
        public byte MinRdShare;
        public byte MinStage;
        public byte TypeBit;
        public byte Services;
        public bool Specialised;
        public bool RequiresTechSme;
    }

    private MatchIndex(IReadOnlyList<Carrier> carriers, IReadOnlyList<District> districts, DateOnly builtFor)
    {
        BuiltFor = builtFor;
        _carriers = [.. carriers.OrderBy(c => c.Id, StringComparer.Ordinal)];
        var n = _carriers.Length;

        _districtsByCode = districts.ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);
        _districtIdByCode = districts.Select((d, i) => (d.Code, i)).ToFrozenDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        var cityIds = districts.Select(d => d.CityCode).Distinct(StringComparer.Ordinal)
            .Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i, StringComparer.Ordinal);
        _cityOfDistrict = [.. districts.Select(d => cityIds[d.CityCode])];
        _cityCount = cityIds.Count;

        var positions = new Dictionary<string, int>(n, StringComparer.Ordinal);
        _districtOf = new District[n];
        _tierOf = new TierLevel?[n];
        _rows = new Row[n];
        _ageReason = new int[n];
        _revenueReason = new int[n];
        _techSmeReason = new int[n];
        _rdShareReason = new int[n];
        _stageReason = new int[n];

        var ruleReasons = new List<EntryRule?> { null, null, null };
        var reasonIdByRule = new Dictionary<EntryRule, int>();
        int ReasonFor(EntryRule rule)
        {
            if (!reasonIdByRule.TryGetValue(rule, out var id))
            {
                id = ruleReasons.Count;
                ruleReasons.Add(rule);
                reasonIdByRule.Add(rule, id);
            }
            return id;
        }

        for (var i = 0; i < n; i++)
        {
            var carrier = _carriers[i];
            if (!positions.TryAdd(carrier.Id, i))
            {
                throw new ArgumentException($"Carrier id '{carrier.Id}' appears twice.", nameof(carriers));
            }
            if (!_districtIdByCode.TryGetValue(carrier.DistrictCode, out var districtId))
            {
                throw new ArgumentException($"Carrier '{carrier.Id}' is in unknown district '{carrier.DistrictCode}'.", nameof(carriers));
            }

            _districtOf[i] = districts[districtId];
            _tierOf[i] = carrier.TierOn(builtFor);
            ref var row = ref _rows[i];
            row.TypeBit = carrier.Type == CarrierType.Incubator ? IncubatorBit : MakerSpaceBit;
            row.Specialised = carrier.Focus == CarrierFocus.Specialised;
            row.Industries = carrier.Industries.Mask;
            row.Services = (byte)carrier.Services;
            row.FreeArea = carrier.FreeAreaM2;
            row.FreeWorkstations = carrier.FreeWorkstations;
            row.Latitude = carrier.Location.Latitude;
            row.Longitude = carrier.Location.Longitude;
            row.District = districtId;
            row.City = _cityOfDistrict[districtId];
            row.Tier = _tierOf[i]?.Prestige ?? 0;
            row.TrackRecord = Scoring.TrackRecordValue(carrier.TrackRecord);

            row.MaxAgeMonths = int.MaxValue;
            row.MaxRevenue = long.MaxValue;
            _ageReason[i] = _revenueReason[i] = _techSmeReason[i] = _rdShareReason[i] = _stageReason[i] = -1;
            // Several rules of one kind: the strictest one decides.
            foreach (var rule in carrier.EntryRules)
            {
                switch (rule.Kind)
                {
                    case EntryRuleKind.MaxCompanyAgeMonths when rule.Value < row.MaxAgeMonths:
                        row.MaxAgeMonths = (int)rule.Value;
                        _ageReason[i] = ReasonFor(rule);
                        break;
                    case EntryRuleKind.MaxLastYearRevenueCny when rule.Value < row.MaxRevenue:
                        row.MaxRevenue = rule.Value;
                        _revenueReason[i] = ReasonFor(rule);
                        break;
                    case EntryRuleKind.TechSmeRequired:
                        row.RequiresTechSme = true;
                        _techSmeReason[i] = ReasonFor(rule);
                        break;
                    case EntryRuleKind.MinRdStaffSharePercent when rule.Value > row.MinRdShare:
                        row.MinRdShare = (byte)rule.Value;
                        _rdShareReason[i] = ReasonFor(rule);
                        break;
                    case EntryRuleKind.MinStage when rule.Value > row.MinStage:
                        row.MinStage = (byte)rule.Value;
                        _stageReason[i] = ReasonFor(rule);
                        break;
                }
            }
        }

        _positionById = positions.ToFrozenDictionary(StringComparer.Ordinal);
        _ruleReasons = [.. ruleReasons];
    }

    /// <summary>The day tiers were evaluated for; rebuild when the day changes.</summary>
    public DateOnly BuiltFor { get; }

    /// <summary>All carriers, ordered by id.</summary>
    public IReadOnlyList<Carrier> Carriers => _carriers;

    public IReadOnlyCollection<District> Districts => _districtsByCode.Values;

    public int Count => _carriers.Length;

    /// <summary>Builds the index; entry rules of a kind the carrier repeats are reduced to the strictest.</summary>
    /// <exception cref="ArgumentException">A carrier id appears twice, or a carrier's district is not among <paramref name="districts"/>.</exception>
    public static MatchIndex Build(IEnumerable<Carrier> carriers, IEnumerable<District> districts, DateOnly builtFor) =>
        new([.. carriers], [.. districts], builtFor);

    public Carrier? Find(string id) => _positionById.TryGetValue(id, out var i) ? _carriers[i] : null;

    public District? FindDistrict(string code) => _districtsByCode.GetValueOrDefault(code);

    /// <summary>The tier in force on <see cref="BuiltFor"/> of the carrier at <paramref name="position"/> in <see cref="Carriers"/>.</summary>
    public TierLevel? TierAt(int position) => _tierOf[position];

    public District DistrictAt(int position) => _districtOf[position];

    /// <summary>Position of the first carrier whose id is ordinally greater than <paramref name="id"/> (for paging).</summary>
    public int PositionAfter(string id)
    {
        int lo = 0, hi = _carriers.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_carriers[mid].Id, id) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>
    /// Ranks every carrier for <paramref name="profile"/>: hard eligibility first, then the weighted score. Returns the
    /// best <paramref name="top"/> (equal scores by id) and a count of exclusions per reason.
    /// </summary>
    public MatchOutcome Match(StartupProfile profile, DateOnly today, MatchingPolicy policy, int top)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, MaxTop);

        var context = new ScoringContext(profile, policy);
        var techSme = TechSmeAssessment.Assess(profile);
        var applicant = new Applicant(profile, today, techSme);

        // The preferred districts and their cities as bit sets, so a carrier's check is one bit test.
        var districtWords = (_districtsByCode.Count + 63) >> 6;
        var cityWords = (_cityCount + 63) >> 6;
        var bits = districtWords + cityWords <= 1024 ? stackalloc ulong[districtWords + cityWords] : new ulong[districtWords + cityWords];
        bits.Clear();
        var preferredDistricts = bits[..districtWords];
        var preferredCities = bits[districtWords..];
        foreach (var code in profile.PreferredDistricts)
        {
            if (_districtIdByCode.TryGetValue(code, out var id))
            {
                preferredDistricts[id >> 6] |= 1UL << id;
                preferredCities[_cityOfDistrict[id] >> 6] |= 1UL << _cityOfDistrict[id];
            }
        }
        var hasPreferences = context.HasPreferences;

        var counts = _ruleReasons.Length <= 256 ? stackalloc int[_ruleReasons.Length] : new int[_ruleReasons.Length];
        counts.Clear();
        var heap = new TopK(stackalloc double[top], stackalloc int[top]);
        // Carriers come in id order, so once the heap is full a carrier must beat its worst score outright to get in.
        var bar = double.NegativeInfinity;
        var eligible = 0;
        var rows = _rows;

        for (var i = 0; i < rows.Length; i++)
        {
            ref readonly var row = ref rows[i];
            var industry = context.IndustryFit(row.Industries, row.Specialised);
            var capacity = context.CapacityRatio(row.FreeArea, row.FreeWorkstations);
            // Every rule at once, without a branch per rule: most carriers pass or fail in one test.
            if (applicant.Fails(in row) | (industry < 0) | (capacity < 1))
            {
                CountExclusions(i, in row, in applicant, industry, capacity, counts);
                continue;
            }
            eligible++;
            var near = context.Proximity(row.Latitude, row.Longitude,
                hasPreferences && Contains(preferredDistricts, row.District),
                hasPreferences && Contains(preferredCities, row.City));
            var score = context.Score(industry, near, context.ServicesCovered(row.Services), context.VacancyHeadroom(capacity), row.Tier, row.TrackRecord);
            if (score > bar)
            {
                heap.Offer(score, i);
                bar = heap.Count == top ? heap.WorstScore : double.NegativeInfinity;
            }
        }

        var matches = new CarrierMatch[heap.Count];
        Span<int> order = stackalloc int[heap.Count];
        heap.DrainBestFirst(order);
        for (var rank = 0; rank < order.Length; rank++)
        {
            var i = order[rank];
            matches[rank] = Explain(i, profile, in context, techSme,
                hasPreferences && Contains(preferredDistricts, _rows[i].District), hasPreferences && Contains(preferredCities, _rows[i].City));
        }
        return new MatchOutcome(_carriers.Length, eligible, matches, Exclusions(counts, profile), techSme);
    }

    private static bool Contains(ReadOnlySpan<ulong> set, int id) => (set[id >> 6] & (1UL << id)) != 0;

    /// <summary>The startup's side of the entry rules, worked out once per match.</summary>
    private readonly struct Applicant(StartupProfile profile, DateOnly today, TechSmeAssessment techSme)
    {
        public readonly byte TypeMask = TypeMaskOf(profile.CarrierTypes);
        public readonly int AgeMonths = profile.CompanyAgeMonths(today);
        public readonly long Revenue = profile.LastYearRevenueCny;
        public readonly bool TechSmeFails = techSme.Status == TechSmeStatus.NotQualified;
        public readonly int RdShare = profile.RdStaffSharePercent;
        public readonly int Stage = (int)profile.Stage;

        public bool Fails(in Row row) =>
            ((row.TypeBit & TypeMask) == 0) | (AgeMonths > row.MaxAgeMonths) | (Revenue > row.MaxRevenue) |
            (TechSmeFails & row.RequiresTechSme) | (RdShare < row.MinRdShare) | (Stage < row.MinStage);
    }

    private void CountExclusions(int i, in Row row, in Applicant applicant, double industry, double capacity, Span<int> counts)
    {
        if ((row.TypeBit & applicant.TypeMask) == 0) { counts[TypeReason]++; }
        if (applicant.AgeMonths > row.MaxAgeMonths) { counts[_ageReason[i]]++; }
        if (applicant.Revenue > row.MaxRevenue) { counts[_revenueReason[i]]++; }
        if (applicant.TechSmeFails && row.RequiresTechSme) { counts[_techSmeReason[i]]++; }
        if (applicant.RdShare < row.MinRdShare) { counts[_rdShareReason[i]]++; }
        if (applicant.Stage < row.MinStage) { counts[_stageReason[i]]++; }
        if (industry < 0) { counts[FocusReason]++; }
        if (capacity < 1) { counts[VacancyReason]++; }
    }

    private CarrierMatch Explain(int i, StartupProfile profile, in ScoringContext context, TechSmeAssessment techSme, bool inPreferredDistrict, bool inPreferredCity)
    {
        var carrier = _carriers[i];
        ref readonly var row = ref _rows[i];
        var weights = context.Weights;
        var industry = context.IndustryFit(row.Industries, row.Specialised);
        var near = context.Proximity(row.Latitude, row.Longitude, inPreferredDistrict, inPreferredCity);
        var services = context.ServicesCovered(row.Services);
        var vacancy = context.VacancyHeadroom(context.CapacityRatio(row.FreeArea, row.FreeWorkstations));
        var score = context.Score(industry, near, services, vacancy, row.Tier, row.TrackRecord);
        double? distanceKm = context.HasLocation ? context.DistanceKm(row.Latitude, row.Longitude) : null;

        ScorePart[] parts =
        [
            new(MatchCriterion.Industry, weights.Industry, industry, MatchExplanations.Industry(industry, carrier, profile.Industry)),
            new(MatchCriterion.Proximity, weights.Proximity, near, MatchExplanations.Proximity(profile, _districtOf[i], distanceKm, inPreferredDistrict)),
            new(MatchCriterion.Services, weights.Services, services, MatchExplanations.Services(carrier, profile.WantedServices)),
            new(MatchCriterion.Vacancy, weights.Vacancy, vacancy, MatchExplanations.Vacancy(carrier, profile.Space)),
            new(MatchCriterion.Tier, weights.Tier, row.Tier, MatchExplanations.Tier(_tierOf[i], carrier.Type)),
            new(MatchCriterion.TrackRecord, weights.TrackRecord, row.TrackRecord, MatchExplanations.TrackRecord(carrier.TrackRecord)),
        ];

        // The reasons: the three parts that earned the most, then what the startup still has to do.
        var reasons = parts.Where(p => p.Points > 0).OrderByDescending(p => p.Points).ThenBy(p => p.Criterion)
            .Take(3).Select(p => p.Explanation).ToList();
        if (row.RequiresTechSme && techSme.Status is TechSmeStatus.NotApplicable or TechSmeStatus.NotAssessed)
        {
            reasons.Add(MatchExplanations.TechSmePending(techSme));
        }
        return new CarrierMatch(carrier, _districtOf[i], _tierOf[i], score * 100, distanceKm, parts, reasons);
    }

    private Exclusion[] Exclusions(ReadOnlySpan<int> counts, StartupProfile profile)
    {
        var exclusions = new List<Exclusion>();
        for (var reason = 0; reason < counts.Length; reason++)
        {
            if (counts[reason] == 0)
            {
                continue;
            }
            exclusions.Add(reason switch
            {
                TypeReason => new(MatchExplanations.TypeNotWanted, null, MatchExplanations.TypeNotWantedText, counts[reason]),
                VacancyReason => new(MatchExplanations.NoVacancy, null, MatchExplanations.NoVacancyText(profile.Space), counts[reason]),
                FocusReason => new(MatchExplanations.OutsideFocus, null, MatchExplanations.OutsideFocusText(profile.Industry), counts[reason]),
                _ => RuleExclusion(_ruleReasons[reason]!, counts[reason]),
            });
        }
        return [.. exclusions.OrderByDescending(e => e.Count).ThenBy(e => e.Code, StringComparer.Ordinal).ThenBy(e => e.Threshold)];
    }

    private static Exclusion RuleExclusion(EntryRule rule, int count) =>
        new(rule.KindCode(), rule.Kind == EntryRuleKind.TechSmeRequired ? null : rule.Value, rule.DescribeFailure(), count);

    private static byte TypeMaskOf(IReadOnlyList<CarrierType> types)
    {
        if (types.Count == 0)
        {
            return IncubatorBit | MakerSpaceBit;
        }
        byte mask = 0;
        foreach (var type in types)
        {
            mask |= type == CarrierType.Incubator ? IncubatorBit : MakerSpaceBit;
        }
        return mask;
    }

    /// <summary>The best k (score, position) pairs seen so far, worst at the root; equal scores favour the lower position (id).</summary>
    private ref struct TopK(Span<double> scores, Span<int> positions)
    {
        private readonly Span<double> _scores = scores;
        private readonly Span<int> _positions = positions;

        public int Count { get; private set; }

        /// <summary>The lowest score kept (the root).</summary>
        public readonly double WorstScore => _scores[0];

        public void Offer(double score, int position)
        {
            if (Count < _scores.Length)
            {
                _scores[Count] = score;
                _positions[Count] = position;
                SiftUp(Count++);
            }
            else if (Worse(_scores[0], _positions[0], score, position))
            {
                _scores[0] = score;
                _positions[0] = position;
                SiftDown(0);
            }
        }

        /// <summary>Empties the heap into <paramref name="best"/>, best first.</summary>
        public void DrainBestFirst(Span<int> best)
        {
            for (var slot = Count - 1; slot >= 0; slot--)
            {
                best[slot] = _positions[0];
                Count--;
                _scores[0] = _scores[Count];
                _positions[0] = _positions[Count];
                SiftDown(0);
            }
        }

        private static bool Worse(double score, int position, double otherScore, int otherPosition) =>
            score < otherScore || (score == otherScore && position > otherPosition);

        private readonly void SiftUp(int child)
        {
            while (child > 0)
            {
                var parent = (child - 1) >> 1;
                if (!Worse(_scores[child], _positions[child], _scores[parent], _positions[parent]))
                {
                    return;
                }
                Swap(child, parent);
                child = parent;
            }
        }

        private readonly void SiftDown(int parent)
        {
            while (true)
            {
                var worst = parent;
                var left = 2 * parent + 1;
                var right = left + 1;
                if (left < Count && Worse(_scores[left], _positions[left], _scores[worst], _positions[worst]))
                {
                    worst = left;
                }
                if (right < Count && Worse(_scores[right], _positions[right], _scores[worst], _positions[worst]))
                {
                    worst = right;
                }
                if (worst == parent)
                {
                    return;
                }
                Swap(parent, worst);
                parent = worst;
            }
        }

        private readonly void Swap(int a, int b)
        {
            (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
            (_positions[a], _positions[b]) = (_positions[b], _positions[a]);
        }
    }
}
