using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using static EcsTimeoutRemediator.Tests.Diagnosis.HealthyAccount;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

/// <summary>Every finding the diagnosis worlds produce carries a well-formed sentence (see <see cref="FindingSentences"/>).</summary>
public partial class EventDiagnosisTests
{
    /// <summary>One thing broken in the healthy account, each reaching a different check.</summary>
    private static readonly (string Name, Action<FakeAccount> BreakIt)[] Breakages =
    [
        ("healthy", _ => { }),
        ("no route", a => a.RouteTables[0] = a.RouteTables[0] with { Routes = [new RouteFacts("10.0.0.0/16", null, "local", null, "active")] }),
        ("public subnet without public IP", a => a.RouteTables[0] = a.RouteTables[1] with { RouteTableId = PrivateTable, SubnetIds = [Subnet] }),
        ("NAT in a private subnet", a => a.NatGateways[0] = a.NatGateways[0] with { SubnetId = Subnet }),
        ("NAT gone", a => a.NatGateways.Clear()),
        ("ACL denies 443", a => a.NetworkAcls[0] = a.NetworkAcls[0] with { Entries = [new NetworkAclEntry(90, true, "6", "0.0.0.0/0", 443, 443, false), .. a.NetworkAcls[0].Entries] }),
        ("ACL closes the return ports", a => a.NetworkAcls[0] = a.NetworkAcls[0] with
        {
            Entries = [new NetworkAclEntry(100, true, "6", "0.0.0.0/0", 443, 443, true), new NetworkAclEntry(100, false, "6", "0.0.0.0/0", 443, 443, true)],
        }),
        ("endpoints closed", a =>
        {
            WithEndpointsOnly(a);
            a.SecurityGroups[^1] = a.SecurityGroups[^1] with { Inbound = [new SecurityGroupRule("tcp", 443, 443, [], [], ["sg-0someoneelse"])] };
        }),
        ("endpoint without private DNS", a =>
        {
            WithEndpointsOnly(a);
            a.Endpoints[0] = a.Endpoints[0] with { PrivateDnsEnabled = false };
        }),
        ("VPC DNS off", a => a.DnsSupport = false),
        ("VPC DNS hostnames off", a =>
        {
            WithEndpointsOnly(a);
            a.DnsHostnames = false;
        }),
        ("no task egress", a => a.SecurityGroups[0] = a.SecurityGroups[0] with { Outbound = [] }),
        ("task closed to the load balancer", a => a.SecurityGroups[0] = a.SecurityGroups[0] with { Inbound = [new SecurityGroupRule("tcp", 8080, 8080, [], [], ["sg-0other"])] }),
        ("no repository", a => a.Repositories.Clear()),
        ("no execution role", a => a.Roles.Remove(ExecutionRole)),
        ("role may do nothing", a => a.Roles[ExecutionRole].Clear()),
        ("no log group", a => a.LogGroupNames.Clear()),
        ("health check on another port", a => a.TargetGroups[Scenarios.TargetGroupArn] = a.TargetGroups[Scenarios.TargetGroupArn] with { Port = 80, HealthCheckPort = "80" }),
        ("subnet out of addresses", a => a.Subnets[0] = a.Subnets[0] with { AvailableIpAddressCount = 0 }),
        ("EFS mount target elsewhere", a =>
        {
            WithEfs(a);
            a.MountTargets[0] = a.MountTargets[0] with { AvailabilityZone = "us-east-1b", SubnetId = "subnet-0other" };
        }),
        ("EFS closed on 2049", a =>
        {
            WithEfs(a);
            a.SecurityGroups[^1] = a.SecurityGroups[^1] with { Inbound = [new SecurityGroupRule("tcp", 443, 443, [], [], [TaskSg])] };
        }),
        ("EFS IAM without ClientMount", a =>
        {
            WithEfs(a, iam: true);
            a.Roles[TaskRole].Clear();
        }),
    ];

    [Fact]
    public async Task Diagnose_WhenEveryActionableEventMeetsEachBrokenAccount_ShouldGiveEveryFindingAWellFormedSentence()
    {
        var checks = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        var problems = new List<string>();
        foreach (var name in Category.All.Where(x => !Category.IsBenign(x)).Select(EventFiles.NameOf))
        {
            foreach (var (breakage, breakIt) in Breakages)
            {
                var (a, e, c) = ForEvent(name, breakIt);
                var context = await Gatherer(a).GatherAsync(e, c, CancellationToken.None);
                var findings = Diagnoser.Diagnose(e, c, context);
                problems.AddRange(findings.SelectMany(FindingSentences.Problems).Select(p => $"{name} / {breakage}: {p}"));
                checks.UnionWith(findings.Select(f => f.Check));
                count += findings.Count;
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
        Assert.True(count > 500, $"only {count} findings");
        string[] expected =
            [
                "route", "public-ip", "nat-public-subnet", "nat-gateway", "vpc-endpoints", "network-acl", "endpoint-security-group",
                "endpoint-private-dns", "security-group-egress", "vpc-dns", "ecr-repository", "ecr-image", "execution-role", "log-group",
                "health-check-settings", "health-check-port", "container-port", "load-balancer-security-group", "efs-mount-target",
                "efs-mount-target-sg", "efs-iam", "subnet-addresses", "container-health-check",
            ];
        var unreached = expected.Where(x => !checks.Contains(x)).ToList();
        Assert.True(unreached.Count == 0, $"no world reached {string.Join(", ", unreached)}");
    }
}
