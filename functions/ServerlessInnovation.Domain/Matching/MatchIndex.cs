using System.Collections.Frozen;
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

    // Columns.
    private readonly byte[] _type;
    private readonly bool[] _specialised;
    private readonly uint[] _industries;
    private readonly byte[] _services;
    private readonly double[] _freeArea;
    private readonly int[] _freeWorkstations;
    private readonly double[] _latitude;
    private readonly double[] _longitude;
    private readonly int[] _district;
    private readonly int[] _city;
    private readonly double[] _tier;
    private readonly double[] _trackRecord;
    private readonly int[] _maxAgeMonths;
    private readonly long[] _maxRevenue;
    private readonly bool[] _requiresTechSme;
    private readonly int[] _minRdShare;
    private readonly int[] _minStage;
    private readonly int[] _ageReason;
    private readonly int[] _revenueReason;
    private readonly int[] _techSmeReason;
    private readonly int[] _rdShareReason;
    private readonly int[] _stageReason;
    private readonly EntryRule?[] _ruleReasons;

    private MatchIndex(IReadOnlyList<Carrier> carriers, IReadOnlyCollection<District> districts, DateOnly builtFor)
    {
        BuiltFor = builtFor;
        _carriers = [.. carriers.OrderBy(c => c.Id, StringComparer.Ordinal)];
        var n = _carriers.Length;

        _districtsByCode = districts.ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);
        _districtIdByCode = districts.Select((d, i) => (d.Code, i)).ToFrozenDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        var cityIds = districts.Select(d => d.CityCode).Distinct(StringComparer.Ordinal)
            .Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i, StringComparer.Ordinal);
        _cityOfDistrict = [.. districts.Select(d => cityIds[d.CityCode])];

        var positions = new Dictionary<string, int>(n, StringComparer.Ordinal);
        _districtOf = new District[n];
        _tierOf = new TierLevel?[n];
        _type = new byte[n];
        _specialised = new bool[n];
        _industries = new uint[n];
        _services = new byte[n];
        _freeArea = new double[n];
        _freeWorkstations = new int[n];
        _latitude = new double[n];
        _longitude = new double[n];
        _district = new int[n];
        _city = new int[n];
        _tier = new double[n];
        _trackRecord = new double[n];
        _maxAgeMonths = new int[n];
        _maxRevenue = new long[n];
        _requiresTechSme = new bool[n];
        _minRdShare = new int[n];
        _minStage = new int[n];
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
            if (!_districtsByCode.TryGetValue(carrier.DistrictCode, out var district))
            {
                throw new ArgumentException($"Carrier '{carrier.Id}' is in unknown district '{carrier.DistrictCode}'.", nameof(carriers));
            }

            _districtOf[i] = district;
            _tierOf[i] = carrier.TierOn(builtFor);
            _type[i] = carrier.Type == CarrierType.Incubator ? IncubatorBit : MakerSpaceBit;
            _specialised[i] = carrier.Focus == CarrierFocus.Specialised;
            _industries[i] = carrier.Industries.Mask;
            _services[i] = (byte)carrier.Services;
            _freeArea[i] = carrier.FreeAreaM2;
            _freeWorkstations[i] = carrier.FreeWorkstations;
            _latitude[i] = carrier.Location.Latitude;
            _longitude[i] = carrier.Location.Longitude;
            _district[i] = _districtIdByCode[district.Code];
            _city[i] = cityIds[district.CityCode];
            _tier[i] = _tierOf[i]?.Prestige ?? 0;
            _trackRecord[i] = Scoring.TrackRecordValue(carrier.TrackRecord);

            _maxAgeMonths[i] = int.MaxValue;
            _maxRevenue[i] = long.MaxValue;
            _ageReason[i] = _revenueReason[i] = _techSmeReason[i] = _rdShareReason[i] = _stageReason[i] = -1;
            // Several rules of one kind: the strictest one decides.
            foreach (var rule in carrier.EntryRules)
            {
                switch (rule.Kind)
                {
                    case EntryRuleKind.MaxCompanyAgeMonths when rule.Value < _maxAgeMonths[i]:
                        _maxAgeMonths[i] = (int)rule.Value;
                        _ageReason[i] = ReasonFor(rule);
                        break;
                    case EntryRuleKind.MaxLastYearRevenueCny when rule.Value < _maxRevenue[i]:
                        _maxRevenue[i] = rule.Value;
                        _revenueReason[i] = ReasonFor(rule);
                        break;
                    case EntryRuleKind.TechSmeRequired:
                        _requiresTechSme[i] = true;
                        _techSmeReason[i] = ReasonFor(rule);
                        break;
                    case EntryRuleKind.MinRdStaffSharePercent when rule.Value > _minRdShare[i]:
                        _minRdShare[i] = (int)rule.Value;
                        _rdShareReason[i] = ReasonFor(rule);
                        break;
                    case EntryRuleKind.MinStage when rule.Value > _minStage[i]:
                        _minStage[i] = (int)rule.Value;
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

        var weights = policy.Weights;
        var ageMonths = profile.CompanyAgeMonths(today);
        var revenue = profile.LastYearRevenueCny;
        var techSme = TechSmeAssessment.Assess(profile);
        var techSmeFails = techSme.Status == TechSmeStatus.NotQualified;
        var rdShare = profile.RdStaffSharePercent;
        var stage = (int)profile.Stage;
        var industryBit = 1u << profile.Industry.Bit;
        var related = Industries.RelatedTo(profile.Industry).Mask;
        var wanted = (byte)profile.WantedServices;
        var typeMask = TypeMask(profile.CarrierTypes);
        var needArea = profile.Space.AreaM2;
        var needWorkstations = profile.Space.Workstations;
        var scratch = profile.PreferredDistricts.Count <= 32 ? stackalloc int[profile.PreferredDistricts.Count * 2] : new int[profile.PreferredDistricts.Count * 2];
        var proximity = new ProximityQuery(this, profile, policy.ProximityRadiusKm, scratch);

        var counts = _ruleReasons.Length <= 256 ? stackalloc int[_ruleReasons.Length] : new int[_ruleReasons.Length];
        var heap = new TopK(stackalloc double[top], stackalloc int[top]);
        var eligible = 0;

        for (var i = 0; i < _carriers.Length; i++)
        {
            var ok = true;
            if ((_type[i] & typeMask) == 0) { counts[TypeReason]++; ok = false; }
            if (ageMonths > _maxAgeMonths[i]) { counts[_ageReason[i]]++; ok = false; }
            if (revenue > _maxRevenue[i]) { counts[_revenueReason[i]]++; ok = false; }
            if (techSmeFails && _requiresTechSme[i]) { counts[_techSmeReason[i]]++; ok = false; }
            if (rdShare < _minRdShare[i]) { counts[_rdShareReason[i]]++; ok = false; }
            if (stage < _minStage[i]) { counts[_stageReason[i]]++; ok = false; }

            var industry = Scoring.IndustryFit(_industries[i], _specialised[i], industryBit, related);
            if (industry < 0) { counts[FocusReason]++; ok = false; }

            var capacity = Scoring.CapacityRatio(_freeArea[i], _freeWorkstations[i], needArea, needWorkstations, policy.AreaPerWorkstationM2);
            if (capacity < 1) { counts[VacancyReason]++; ok = false; }

            if (!ok)
            {
                continue;
            }
            eligible++;
            var score = weights.Combine(
                industry,
                proximity.ValueAt(i, out _, out _),
                Scoring.ServicesCovered(_services[i], wanted),
                Scoring.VacancyHeadroom(capacity, policy.FullHeadroomRatio),
                _tier[i],
                _trackRecord[i]);
            heap.Offer(score, i);
        }

        var matches = new CarrierMatch[heap.Count];
        Span<int> order = stackalloc int[heap.Count];
        heap.DrainBestFirst(order);
        for (var rank = 0; rank < order.Length; rank++)
        {
            matches[rank] = Explain(order[rank], profile, policy, techSme, ref proximity);
        }
        return new MatchOutcome(_carriers.Length, eligible, matches, Exclusions(counts, profile), techSme);
    }

    private CarrierMatch Explain(int i, StartupProfile profile, MatchingPolicy policy, TechSmeAssessment techSme, ref ProximityQuery proximity)
    {
        var carrier = _carriers[i];
        var weights = policy.Weights;
        var industry = Scoring.IndustryFit(_industries[i], _specialised[i], 1u << profile.Industry.Bit, Industries.RelatedTo(profile.Industry).Mask);
        var near = proximity.ValueAt(i, out var distanceKm, out var inPreferredDistrict);
        var services = Scoring.ServicesCovered(_services[i], (byte)profile.WantedServices);
        var capacity = Scoring.CapacityRatio(_freeArea[i], _freeWorkstations[i], profile.Space.AreaM2, profile.Space.Workstations, policy.AreaPerWorkstationM2);
        var vacancy = Scoring.VacancyHeadroom(capacity, policy.FullHeadroomRatio);
        var score = weights.Combine(industry, near, services, vacancy, _tier[i], _trackRecord[i]);

        ScorePart[] parts =
        [
            new(MatchCriterion.Industry, weights.Industry, industry, MatchExplanations.Industry(industry, carrier, profile.Industry)),
            new(MatchCriterion.Proximity, weights.Proximity, near, MatchExplanations.Proximity(profile, _districtOf[i], distanceKm, inPreferredDistrict)),
            new(MatchCriterion.Services, weights.Services, services, MatchExplanations.Services(carrier, profile.WantedServices)),
            new(MatchCriterion.Vacancy, weights.Vacancy, vacancy, MatchExplanations.Vacancy(carrier, profile.Space)),
            new(MatchCriterion.Tier, weights.Tier, _tier[i], MatchExplanations.Tier(_tierOf[i], carrier.Type)),
            new(MatchCriterion.TrackRecord, weights.TrackRecord, _trackRecord[i], MatchExplanations.TrackRecord(carrier.TrackRecord)),
        ];

        // The reasons: the three parts that earned the most, then what the startup still has to do.
        var reasons = parts.Where(p => p.Points > 0).OrderByDescending(p => p.Points).ThenBy(p => p.Criterion)
            .Take(3).Select(p => p.Explanation).ToList();
        if (_requiresTechSme[i] && techSme.Status is TechSmeStatus.NotApplicable or TechSmeStatus.NotAssessed)
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

    private static byte TypeMask(IReadOnlyList<CarrierType> types)
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

    /// <summary>The proximity criterion for one startup, with its location and preferred districts resolved once.</summary>
    private ref struct ProximityQuery
    {
        private readonly MatchIndex _index;
        private readonly Span<int> _preferredDistricts;
        private readonly Span<int> _preferredCities;
        private readonly bool _hasLocation;
        private readonly double _latitude;
        private readonly double _longitude;
        private readonly double _cosLatitude;
        private readonly double _radiusKm;

        public ProximityQuery(MatchIndex index, StartupProfile profile, double radiusKm, Span<int> scratch)
        {
            _index = index;
            _radiusKm = radiusKm;
            var count = 0;
            foreach (var code in profile.PreferredDistricts)
            {
                if (index._districtIdByCode.TryGetValue(code, out var id))
                {
                    scratch[count] = id;
                    scratch[profile.PreferredDistricts.Count + count] = index._cityOfDistrict[id];
                    count++;
                }
            }
            _preferredDistricts = scratch[..count];
            _preferredCities = scratch.Slice(profile.PreferredDistricts.Count, count);
            if (profile.Location is { } location)
            {
                _hasLocation = true;
                _latitude = location.Latitude;
                _longitude = location.Longitude;
                _cosLatitude = Math.Cos(location.Latitude * (Math.PI / 180));
            }
        }

        /// <summary>The proximity value: the better of distance and district preference; neutral when neither is given.</summary>
        public readonly double ValueAt(int i, out double? distanceKm, out bool inPreferredDistrict)
        {
            distanceKm = null;
            inPreferredDistrict = false;
            if (!_hasLocation && _preferredDistricts.IsEmpty)
            {
                return Scoring.NeutralProximity;
            }
            var value = 0.0;
            if (_hasLocation)
            {
                var km = GeoPoint.ApproximateKm(_latitude, _longitude, _cosLatitude, _index._latitude[i], _index._longitude[i]);
                distanceKm = km;
                value = Scoring.ProximityByDistance(km, _radiusKm);
            }
            var district = _index._district[i];
            var city = _index._city[i];
            for (var p = 0; p < _preferredDistricts.Length; p++)
            {
                if (_preferredDistricts[p] == district)
                {
                    inPreferredDistrict = true;
                    return 1;
                }
                if (_preferredCities[p] == city)
                {
                    value = Math.Max(value, Scoring.SameCityProximity);
                }
            }
            return value;
        }
    }

    /// <summary>The best k (score, position) pairs seen so far, worst at the root; equal scores favour the lower position (id).</summary>
    private ref struct TopK(Span<double> scores, Span<int> positions)
    {
        private readonly Span<double> _scores = scores;
        private readonly Span<int> _positions = positions;

        public int Count { get; private set; }

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
