using System.Globalization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>
/// Can the task's subnets reach the AWS services its start-up needs? Per subnet: the route table (explicit or
/// the VPC's main table), a default route to an internet gateway (with a public IP) or to an available NAT
/// gateway in a public subnet, else the VPC endpoints; the network ACL for outbound 443 and the return ports;
/// then the interface endpoints' private DNS and security groups, the task's outbound 443 and the VPC's DNS.
/// </summary>
public static class NetworkPath
{
    /// <summary>The Linux ephemeral port range the return traffic of a task's HTTPS connections arrives on.</summary>
    public const int EphemeralFrom = 32768;
    public const int EphemeralTo = 60999;

    private static readonly string[] EcrServices = ["ecr.api", "ecr.dkr", "s3"];

    public static IEnumerable<Finding> Check(DiagnosisTarget target, string? category, TaskDefinitionFacts? taskDefinition, NetworkFacts network)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(network);
        var region = target.Region;
        var assignPublicIp = target.AssignPublicIp;
        var needed = RequiredEndpoints(category, taskDefinition);
        var needsInternet = NonEcrRegistries(taskDefinition);
        var label = ServiceLabel(category, needed);

        foreach (var subnet in network.Subnets)
        {
            if (subnet.AvailableIpAddressCount == 0)
            {
                yield return Finding.Of("subnet-addresses", FindingStatus.Missing,
                    Sentence.Of($"{Sentence.Id(subnet.SubnetId)} has no free IP address left, so no network interface can be created in it."),
                    [subnet.SubnetId], FixId.FreeSubnetAddresses)
                with { Headline = $"no free IP address in {subnet.SubnetId}" };
            }
            else if (category == Category.EniTimeout)
            {
                yield return Finding.Of("subnet-addresses", FindingStatus.Ok,
                    Sentence.Of($"{Sentence.Id(subnet.SubnetId)} has {subnet.AvailableIpAddressCount} free IP addresses."), [subnet.SubnetId]);
            }

            var table = network.RouteTableOf(subnet);
            if (table is null)
            {
                yield return Finding.Of("route-table", FindingStatus.Unknown, Sentence.Of($"No route table found for {Sentence.Id(subnet.SubnetId)}."), [subnet.SubnetId]);
                continue;
            }

            var defaultRoute = table.Routes.FirstOrDefault(r => r.IsDefault && r.IsActive);
            var viaInternet = false;
            if (defaultRoute is { ToInternetGateway: true })
            {
                if (assignPublicIp == false)
                {
                    yield return Finding.Of("public-ip", FindingStatus.Missing,
                        Sentence.Of($"{Sentence.Id(subnet.SubnetId)} is a public subnet ({Sentence.Id(table.RouteTableId)} sends 0.0.0.0/0 to {Sentence.Id(defaultRoute.GatewayId)}) but the service's tasks get no public IP (assignPublicIp DISABLED), so they cannot use the internet gateway."),
                        [subnet.SubnetId, table.RouteTableId, defaultRoute.GatewayId!], FixId.EnableAssignPublicIp)
                    with { Headline = "public subnet without public IP" };
                }
                else
                {
                    viaInternet = true;
                    yield return Finding.Of("route", FindingStatus.Ok,
                        Sentence.Of($"{Sentence.Id(subnet.SubnetId)} routes 0.0.0.0/0 to internet gateway {Sentence.Id(defaultRoute.GatewayId)}{Sentence.Words(assignPublicIp == true ? " and tasks get a public IP" : "")}."),
                        [subnet.SubnetId, table.RouteTableId]);
                }
            }
            else if (defaultRoute is { ToNatGateway: true })
            {
                var nat = network.NatGateways.FirstOrDefault(n => n.NatGatewayId == defaultRoute.NatGatewayId);
                var natTable = nat?.SubnetId is { } natSubnet ? network.RouteTableOf(natSubnet, nat.VpcId ?? subnet.VpcId) : null;
                var natHasInternet = natTable?.Routes.Any(r => r.IsDefault && r.IsActive && r.ToInternetGateway) ?? false;
                if (nat is null || !string.Equals(nat.State, "available", StringComparison.OrdinalIgnoreCase))
                {
                    yield return Finding.Of("nat-gateway", FindingStatus.Wrong,
                        Sentence.Of($"{Sentence.Id(subnet.SubnetId)} routes 0.0.0.0/0 to NAT gateway {Sentence.Id(defaultRoute.NatGatewayId)}, which is {(nat?.State is { } natState ? Sentence.Of($"{natState}") : Sentence.Words("missing"))}."),
                        [subnet.SubnetId, table.RouteTableId, defaultRoute.NatGatewayId!], FixId.AddNatRoute)
                    with { Headline = $"NAT gateway {nat?.State ?? "missing"}" };
                }
                else if (natTable is not null && !natHasInternet)
                {
                    yield return Finding.Of("nat-public-subnet", FindingStatus.Wrong,
                        Sentence.Of($"NAT gateway {Sentence.Id(nat.NatGatewayId)} sits in {Sentence.Id(nat.SubnetId)}, whose route table {Sentence.Id(natTable.RouteTableId)} has no 0.0.0.0/0 route to an internet gateway: the NAT gateway itself cannot reach the internet."),
                        [nat.NatGatewayId, nat.SubnetId!, natTable.RouteTableId], FixId.AddNatRoute)
                    with { Headline = "NAT gateway in a private subnet" };
                }
                else
                {
                    viaInternet = true;
                    yield return Finding.Of("route", FindingStatus.Ok,
                        Sentence.Of($"{Sentence.Id(subnet.SubnetId)} routes 0.0.0.0/0 to available NAT gateway {Sentence.Id(nat.NatGatewayId)}."), [subnet.SubnetId, table.RouteTableId, nat.NatGatewayId]);
                }
            }
            else
            {
                var missing = MissingEndpoints(network, needed, region, table.RouteTableId);
                if (missing.Count > 0)
                {
                    yield return Finding.Of("vpc-endpoints", FindingStatus.Missing,
                        Sentence.Of($"{Sentence.Id(subnet.SubnetId)} has no route to the internet ({Sentence.Id(table.RouteTableId)} has no 0.0.0.0/0 route to an internet or NAT gateway) and its VPC {Sentence.Id(subnet.VpcId)} lacks the endpoints {string.Join(", ", missing)}."),
                        [subnet.SubnetId, table.RouteTableId, subnet.VpcId], FixId.AddVpcEndpoints)
                    with
                    {
                        Headline = missing.Count == 1 && missing[0] == "s3" ? "S3 gateway endpoint not on the route table" : $"no route to {label}",
                        Alternatives = [FixId.AddNatRoute],
                    };
                }
                else
                {
                    yield return Finding.Of("vpc-endpoints", FindingStatus.Ok,
                        Sentence.Of($"{Sentence.Id(subnet.SubnetId)} is private and its VPC {Sentence.Id(subnet.VpcId)} has the endpoints {string.Join(", ", needed)}."), [subnet.SubnetId, subnet.VpcId]);
                }

                if (needsInternet.Count > 0)
                {
                    yield return Finding.Of("registry-internet", FindingStatus.Missing,
                        Sentence.Of($"{Sentence.Id(subnet.SubnetId)} has no route to the internet, and the images from {string.Join(", ", needsInternet)} can only be pulled over the internet (there is no VPC endpoint for them)."),
                        [subnet.SubnetId, table.RouteTableId], FixId.AddNatRoute)
                    with { Headline = $"no route to {needsInternet[0]}" };
                }
            }

            if (network.NetworkAclOf(subnet) is { } acl)
            {
                var peers = viaInternet ? [Cidr.Anywhere] : EndpointPeers(network, subnet);
                foreach (var finding in CheckAcl(subnet, acl, peers, viaInternet))
                {
                    yield return finding;
                }
            }
        }

        foreach (var finding in CheckEndpoints(network, needed, region))
        {
            yield return finding;
        }

        if (network.SecurityGroups.Count > 0)
        {
            var allows443 = network.SecurityGroups.Any(g => g.Outbound.Any(r => r.CoversPort(443) && (r.Ipv4Ranges.Count > 0 || r.SourceGroupIds.Count > 0 || r.Ipv6Ranges.Count > 0)));
            yield return allows443
                ? Finding.Of("security-group-egress", FindingStatus.Ok, Sentence.Words("The task's security groups allow outbound HTTPS (443)."), [.. network.SecurityGroups.Select(g => g.GroupId)])
                : Finding.Of("security-group-egress", FindingStatus.Wrong,
                    Sentence.Of($"No security group of the task ({Sentence.Ids(network.SecurityGroups.Select(g => g.GroupId))}) allows outbound HTTPS (443)."),
                    [.. network.SecurityGroups.Select(g => g.GroupId)], FixId.OpenSecurityGroup)
                with { Headline = "outbound 443 blocked" };
        }

        foreach (var finding in CheckDns(network, needed, region, vpcId: network.Subnets.Count > 0 ? network.Subnets[0].VpcId : null))
        {
            yield return finding;
        }
    }

    /// <summary>The VPC endpoint services the task needs: from the task definition when known, else from the category.</summary>
    public static IReadOnlyList<string> RequiredEndpoints(string? category, TaskDefinitionFacts? td)
    {
        if (td is null)
        {
            return category is null ? EcrServices : CategoryTable.Of(category).EndpointServices;
        }

        var needed = new List<string>();
        if (td.Containers.Any(c => ImageReference.Parse(c.Image) is { IsEcr: true }) || (category == Category.ImagePullNetwork && td.Containers.Count == 0))
        {
            needed.AddRange(EcrServices);
        }

        var secretsManager = td.Containers.Any(c => c.SecretValueFrom.Any(RolePermissions.IsSecretsManager) || c.RepositoryCredentialsArn is not null);
        var ssm = td.Containers.Any(c => c.SecretValueFrom.Any(v => !RolePermissions.IsSecretsManager(v)));
        var logs = td.Containers.Any(c => string.Equals(c.LogDriver, "awslogs", StringComparison.Ordinal));
        if (secretsManager)
        {
            needed.Add("secretsmanager");
        }

        if (ssm)
        {
            needed.Add("ssm");
        }

        if (logs)
        {
            needed.Add("logs");
        }

        // The stop message proved the task tried to reach a service: keep it even if the task definition has changed since.
        if (category == Category.SecretsNetwork && !secretsManager && !ssm)
        {
            needed.AddRange(["secretsmanager", "ssm", "kms"]);
        }

        if (category == Category.LogsNetwork && !logs)
        {
            needed.Add("logs");
        }

        return [.. needed.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The endpoint services (short names) the VPC lacks, for a subnet with the given route table.</summary>
    public static IReadOnlyList<string> MissingEndpoints(NetworkFacts network, IReadOnlyList<string> needed, string region, string routeTableId)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(needed);
        var missing = new List<string>();
        foreach (var service in needed)
        {
            var endpoint = EndpointFor(network, region, service);
            var present = service == "s3"
                ? endpoint is not null && (endpoint.RouteTableIds.Contains(routeTableId) || !string.Equals(endpoint.Type, "Gateway", StringComparison.OrdinalIgnoreCase))
                : endpoint is not null;
            if (!present)
            {
                missing.Add(service);
            }
        }

        return missing;
    }

    private static VpcEndpointFacts? EndpointFor(NetworkFacts network, string region, string service)
    {
        var name = $"com.amazonaws.{region}.{service}";
        return network.Endpoints.FirstOrDefault(ep => string.Equals(ep.ServiceName, name, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(ep.State, "deleted", StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<Finding> CheckEndpoints(NetworkFacts network, IReadOnlyList<string> needed, string region)
    {
        var interfaceEndpoints = needed
            .Select(service => (Service: service, Endpoint: EndpointFor(network, region, service)))
            .Where(x => x.Endpoint is not null && !string.Equals(x.Endpoint.Type, "Gateway", StringComparison.OrdinalIgnoreCase))
            .Select(x => (x.Service, Endpoint: x.Endpoint!))
            .ToList();
        if (interfaceEndpoints.Count == 0)
        {
            yield break;
        }

        var noDns = interfaceEndpoints.Where(x => !x.Endpoint.PrivateDnsEnabled).ToList();
        if (noDns.Count > 0)
        {
            yield return Finding.Of("endpoint-private-dns", FindingStatus.Wrong,
                Sentence.Of($"The interface endpoints {Sentence.Join(", ", noDns.Select(x => Sentence.Of($"{x.Service} ({Sentence.Id(x.Endpoint.VpcEndpointId)})")))} have private DNS off, so the task still resolves the public names and goes around them."),
                [.. noDns.Select(x => x.Endpoint.VpcEndpointId)], FixId.AddVpcEndpoints)
            with { Headline = $"private DNS off on the {noDns[0].Service} endpoint" };
        }

        var notAvailable = interfaceEndpoints.Where(x => x.Endpoint.State is { } s && !string.Equals(s, "available", StringComparison.OrdinalIgnoreCase)).ToList();
        if (notAvailable.Count > 0)
        {
            yield return Finding.Of("endpoint-state", FindingStatus.Wrong,
                Sentence.Of($"The interface endpoints {Sentence.Join(", ", notAvailable.Select(x => Sentence.Of($"{x.Service} ({Sentence.Id(x.Endpoint.VpcEndpointId)}, {x.Endpoint.State})")))} are not available."),
                [.. notAvailable.Select(x => x.Endpoint.VpcEndpointId)], FixId.AddVpcEndpoints)
            with { Headline = $"{notAvailable[0].Service} endpoint {notAvailable[0].Endpoint.State}" };
        }

        if (network.SecurityGroups.Count == 0 || network.EndpointSecurityGroups.Count == 0)
        {
            yield break;
        }

        var taskGroupIds = network.SecurityGroups.Select(g => g.GroupId).ToHashSet(StringComparer.Ordinal);
        var closed = ClosedEndpoints(network, interfaceEndpoints);
        if (closed.Count > 0)
        {
            var groupIds = closed.SelectMany(x => x.Endpoint.SecurityGroupIds).Distinct().ToList();
            yield return Finding.Of("endpoint-security-group", FindingStatus.Wrong,
                Sentence.Of($"The security groups {Sentence.Ids(groupIds)} of the endpoints {Sentence.Join(", ", closed.Select(x => Sentence.Of($"{x.Service} ({Sentence.Id(x.Endpoint.VpcEndpointId)})")))} do not allow inbound 443 from the task's security groups {Sentence.Ids(taskGroupIds)} or its subnets."),
                [.. groupIds, .. closed.Select(x => x.Endpoint.VpcEndpointId)], FixId.OpenSecurityGroup)
            with { Headline = "endpoint security group closed to the task" };
        }
        else
        {
            yield return Finding.Of("endpoint-security-group", FindingStatus.Ok,
                Sentence.Of($"The interface endpoints {string.Join(", ", interfaceEndpoints.Select(x => x.Service))} accept 443 from the task."), [.. interfaceEndpoints.Select(x => x.Endpoint.VpcEndpointId)]);
        }
    }

    /// <summary>The interface endpoints the task needs whose security groups do not let its HTTPS in; empty when the groups were not read.</summary>
    public static IReadOnlyList<(string Service, VpcEndpointFacts Endpoint)> ClosedEndpoints(NetworkFacts network, IReadOnlyList<string> needed, string region)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(needed);
        var interfaceEndpoints = needed
            .Select(service => (Service: service, Endpoint: EndpointFor(network, region, service)))
            .Where(x => x.Endpoint is not null && !string.Equals(x.Endpoint.Type, "Gateway", StringComparison.OrdinalIgnoreCase))
            .Select(x => (x.Service, Endpoint: x.Endpoint!))
            .ToList();
        return network.SecurityGroups.Count == 0 || network.EndpointSecurityGroups.Count == 0 ? [] : ClosedEndpoints(network, interfaceEndpoints);
    }

    private static List<(string Service, VpcEndpointFacts Endpoint)> ClosedEndpoints(NetworkFacts network, List<(string Service, VpcEndpointFacts Endpoint)> interfaceEndpoints)
    {
        var taskGroupIds = network.SecurityGroups.Select(g => g.GroupId).ToHashSet(StringComparer.Ordinal);
        var taskCidrs = network.Subnets.Select(s => s.CidrBlock).Select(c => Cidr.TryParse(c, out var x) ? x : (Cidr?)null).OfType<Cidr>().ToList();
        var closed = new List<(string Service, VpcEndpointFacts Endpoint)>();
        foreach (var (service, endpoint) in interfaceEndpoints)
        {
            var groups = network.EndpointSecurityGroups.Where(g => endpoint.SecurityGroupIds.Contains(g.GroupId)).ToList();
            if (groups.Count == 0)
            {
                continue;
            }

            var open = groups.Any(g => g.Inbound.Any(r => r.CoversPort(443)
                && (r.SourceGroupIds.Any(taskGroupIds.Contains)
                    || (taskCidrs.Count > 0 && taskCidrs.All(task => r.Ipv4Ranges.Any(range => Cidr.TryParse(range, out var c) && c.Contains(task)))))));
            if (!open)
            {
                closed.Add((service, endpoint));
            }
        }

        return closed;
    }

    /// <summary>The existing S3 gateway endpoint of the VPC that is not on <paramref name="routeTableId"/>, if any.</summary>
    public static VpcEndpointFacts? S3GatewayOffTable(NetworkFacts network, string region, string routeTableId)
    {
        ArgumentNullException.ThrowIfNull(network);
        return EndpointFor(network, region, "s3") is { } s3 && string.Equals(s3.Type, "Gateway", StringComparison.OrdinalIgnoreCase) && !s3.RouteTableIds.Contains(routeTableId)
            ? s3
            : null;
    }

    private static IEnumerable<Finding> CheckDns(NetworkFacts network, IReadOnlyList<string> needed, string region, string? vpcId)
    {
        if (vpcId is null)
        {
            yield break;
        }

        if (network.DnsSupport == false)
        {
            yield return Finding.Of("vpc-dns", FindingStatus.Missing,
                Sentence.Of($"DNS resolution (enableDnsSupport) is off in {Sentence.Id(vpcId)}: the task cannot resolve any AWS service name."),
                [vpcId], FixId.EnableVpcDns)
            with { Headline = "VPC DNS resolution off" };
            yield break;
        }

        var usesPrivateDns = needed.Select(s => EndpointFor(network, region, s)).Any(ep => ep is { PrivateDnsEnabled: true });
        if (network.DnsHostnames == false && usesPrivateDns)
        {
            yield return Finding.Of("vpc-dns", FindingStatus.Wrong,
                Sentence.Of($"DNS hostnames (enableDnsHostnames) are off in {Sentence.Id(vpcId)}: the private DNS names of its interface endpoints do not resolve to them."),
                [vpcId], FixId.EnableVpcDns)
            with { Headline = "VPC DNS hostnames off" };
        }
        else if (network.DnsSupport == true)
        {
            yield return Finding.Of("vpc-dns", FindingStatus.Ok,
                Sentence.Of($"{Sentence.Id(vpcId)} resolves DNS{Sentence.Words(network.DnsHostnames == true ? " and has DNS hostnames" : "")}."), [vpcId]);
        }
    }

    private static IEnumerable<Finding> CheckAcl(SubnetFacts subnet, NetworkAclFacts acl, IReadOnlyList<Cidr> peers, bool viaInternet)
    {
        var where = viaInternet ? Sentence.Words("the internet") : Sentence.Of($"{string.Join(", ", peers)}");
        foreach (var peer in peers)
        {
            var egress = acl.Decide(egress: true, 443, peer);
            if (egress is not { Allow: true })
            {
                yield return Finding.Of("network-acl", egress is null ? FindingStatus.Missing : FindingStatus.Wrong,
                    egress is null
                        ? Sentence.Of($"Network ACL {Sentence.Id(acl.NetworkAclId)} of {Sentence.Id(subnet.SubnetId)} has no rule allowing outbound TCP 443 to {where}, so its final deny rule drops the task's HTTPS connections.")
                        : Sentence.Of($"Network ACL {Sentence.Id(acl.NetworkAclId)} of {Sentence.Id(subnet.SubnetId)} denies outbound TCP 443 to {where} (rule {egress.RuleNumber})."),
                    [acl.NetworkAclId, subnet.SubnetId], FixId.OpenNetworkAcl)
                with { Headline = "network ACL blocks outbound 443" };
                yield break;
            }

            var blocked = FirstBlockedPort(acl, peer);
            if (blocked is { } port)
            {
                var entry = acl.Decide(egress: false, port, peer);
                var decided = entry is null ? Sentence.Words("not allowed by any rule") : Sentence.Of($"denied by rule {entry.RuleNumber}");
                yield return Finding.Of("network-acl", entry is null ? FindingStatus.Missing : FindingStatus.Wrong,
                    Sentence.Of($"Network ACL {Sentence.Id(acl.NetworkAclId)} of {Sentence.Id(subnet.SubnetId)} does not let the HTTPS replies back in: inbound TCP {Sentence.Id(port)} from {where} is {decided} (the return ports {Sentence.Words(string.Create(CultureInfo.InvariantCulture, $"{EphemeralFrom}-{EphemeralTo}"))} must be open)."),
                    [acl.NetworkAclId, subnet.SubnetId], FixId.OpenNetworkAcl)
                with { Headline = "network ACL blocks the return ports" };
                yield break;
            }
        }

        yield return Finding.Of("network-acl", FindingStatus.Ok,
            Sentence.Of($"Network ACL {Sentence.Id(acl.NetworkAclId)} of {Sentence.Id(subnet.SubnetId)} allows outbound 443 and the return ports from {where}."), [acl.NetworkAclId, subnet.SubnetId]);
    }

    private static int? FirstBlockedPort(NetworkAclFacts acl, Cidr peer)
    {
        var inbound = acl.Entries.Where(e => !e.Egress).OrderBy(e => e.RuleNumber).ToList();
        for (var port = EphemeralFrom; port <= EphemeralTo; port++)
        {
            var p = port;
            if (inbound.FirstOrDefault(e => e.Matches(p, peer)) is not { Allow: true })
            {
                return port;
            }
        }

        return null;
    }

    /// <summary>Where the endpoints' network interfaces are: the described subnets that hold one, else the task's subnet.</summary>
    private static List<Cidr> EndpointPeers(NetworkFacts network, SubnetFacts subnet)
    {
        var endpointSubnets = network.Endpoints.SelectMany(e => e.SubnetIds).ToHashSet(StringComparer.Ordinal);
        var cidrs = network.Subnets.Where(s => endpointSubnets.Contains(s.SubnetId)).Select(s => s.CidrBlock).Append(subnet.CidrBlock)
            .Select(c => Cidr.TryParse(c, out var x) ? x : (Cidr?)null).OfType<Cidr>().Distinct().ToList();
        return cidrs.Count > 0 ? cidrs : [Cidr.Anywhere];
    }

    /// <summary>The registries other than ECR the task pulls from (they need the internet).</summary>
    private static IReadOnlyList<string> NonEcrRegistries(TaskDefinitionFacts? td) =>
        td is null ? [] : [.. td.Containers.Select(c => ImageReference.Parse(c.Image)).OfType<ImageReference>().Where(i => !i.IsEcr).Select(i => i.Registry).Distinct(StringComparer.Ordinal)];

    private static string ServiceLabel(string? category, IReadOnlyList<string> needed) =>
        (category is null ? null : CategoryTable.Of(category).ReachedService)
        ?? (needed.Contains("ecr.api") ? "ECR" : needed.Count > 0 ? needed[0] : "AWS");
}

/// <summary>The network path area: can the task's subnets reach what its start-up needs.</summary>
public sealed class NetworkPathCheck : IAreaCheck
{
    private static readonly IReadOnlyDictionary<string, string> Unread = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ec2:DescribeSubnets"] = "route",
        ["ec2:DescribeRouteTables"] = "route",
        ["ec2:DescribeNatGateways"] = "route",
        ["ec2:DescribeVpcEndpoints"] = "vpc-endpoints",
        ["ec2:DescribeSecurityGroups"] = "security-group-egress",
        ["ec2:DescribeNetworkAcls"] = "network-acl",
        ["ec2:DescribeVpcAttribute"] = "vpc-dns",
    };

    public DiagnosisScope Checks => DiagnosisScope.NetworkPath;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) && input.Context.Network is { } network
            ? NetworkPath.Check(input.Target, input.Category, input.TaskDefinition, network)
            : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => UnreadNames.Of(gap, Unread);
}
