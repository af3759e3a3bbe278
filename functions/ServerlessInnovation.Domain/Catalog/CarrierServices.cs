namespace ServerlessInnovation.Domain.Catalog;

/// <summary>The services a carrier offers and a startup may want, as flags.</summary>
[Flags]
public enum CarrierServices : byte
{
    None = 0,
    SeedFund = 1 << 0,
    Mentoring = 1 << 1,
    SharedLabs = 1 << 2,
    PilotProduction = 1 << 3,
    IpLegalFinance = 1 << 4,
    PolicyConsulting = 1 << 5,
    RegisteredAddress = 1 << 6,
}

/// <summary>Codes and names of <see cref="CarrierServices"/>.</summary>
public static class ServiceCatalog
{
    public sealed record Service(CarrierServices Flag, string Code, LocalizedText Name);

    public static readonly IReadOnlyList<Service> All =
    [
        new(CarrierServices.SeedFund, "seed-fund", new("种子基金与投融资", "Seed fund and investment")),
        new(CarrierServices.Mentoring, "mentoring", new("创业导师辅导", "Mentoring")),
        new(CarrierServices.SharedLabs, "shared-labs", new("共享实验室与仪器设备", "Shared labs and equipment")),
        new(CarrierServices.PilotProduction, "pilot-production", new("中试生产", "Pilot production")),
        new(CarrierServices.IpLegalFinance, "ip-legal-finance", new("知识产权、法务与财务", "IP, legal and finance")),
        new(CarrierServices.PolicyConsulting, "policy-consulting", new("政策咨询与申报", "Policy consulting")),
        new(CarrierServices.RegisteredAddress, "registered-address", new("工商注册地址", "Registered address")),
    ];

    public static CarrierServices Everything { get; } = All.Aggregate(CarrierServices.None, (set, s) => set | s.Flag);

    public static string Codes { get; } = string.Join(", ", All.Select(s => s.Code));

    public static bool TryParse(string? code, out CarrierServices flag)
    {
        foreach (var service in All)
        {
            if (string.Equals(service.Code, code, StringComparison.Ordinal))
            {
                flag = service.Flag;
                return true;
            }
        }
        flag = CarrierServices.None;
        return false;
    }

    public static IEnumerable<Service> In(CarrierServices set) => All.Where(s => (set & s.Flag) != 0);

    public static string ToCodes(CarrierServices set) => string.Join(',', In(set).Select(s => s.Code));
}
