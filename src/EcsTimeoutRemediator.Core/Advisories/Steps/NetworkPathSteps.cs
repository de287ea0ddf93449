using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The network path area: security groups, public IP, NAT route, VPC endpoints, network ACL and VPC DNS.</summary>
internal sealed class NetworkPathSteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.OpenSecurityGroup, FixId.EnableAssignPublicIp, FixId.AddNatRoute, FixId.AddVpcEndpoints, FixId.OpenNetworkAcl, FixId.EnableVpcDns];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        var cl = t.Cluster;
        switch (fix)
        {
            case FixId.OpenSecurityGroup:
                foreach (var step in OpenSecurityGroup(t, c))
                {
                    yield return step;
                }

                break;
            case FixId.EnableAssignPublicIp:
                yield return NextStep.Change("Public subnet only: give the Fargate tasks a public IP so they can use the internet gateway",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", NetworkConfiguration(Subnets(t), Groups(t), assignPublicIp: true));
                break;
            case FixId.AddNatRoute:
                yield return NextStep.Check("Check where the task's subnet sends 0.0.0.0/0 (internet gateway igw-…, NAT gateway nat-…, or nowhere)", Fact.SubnetRoute,
                    "aws", "ec2", "describe-route-tables", "--region", r, "--filters", $"Name=association.subnet-id,Values={Subnet(t)}", "--query", "RouteTables[].Routes[]");
                yield return NextStep.Change(t.NatGatewayId is null
                        ? "Route 0.0.0.0/0 through a NAT gateway that sits in a public subnet (replace '<nat-gateway-id>'; aws ec2 create-nat-gateway makes one)"
                        : $"Route 0.0.0.0/0 through NAT gateway {t.NatGatewayId}",
                    "aws", "ec2", "create-route", "--region", r, "--route-table-id", RouteTable(t), "--destination-cidr-block", "0.0.0.0/0", "--nat-gateway-id", t.NatGatewayId ?? "<nat-gateway-id>");
                break;
            case FixId.AddVpcEndpoints:
                yield return NextStep.Check("Find the VPC of the task's subnet", Fact.SubnetVpc,
                    "aws", "ec2", "describe-subnets", "--region", r, "--subnet-ids", Subnet(t), "--query", "Subnets[0].VpcId");
                yield return NextStep.Check("List the VPC endpoints that already exist", Fact.VpcEndpoints,
                    "aws", "ec2", "describe-vpc-endpoints", "--region", r, "--filters", $"Name=vpc-id,Values={Vpc(t)}", "--query", "VpcEndpoints[*].[ServiceName,VpcEndpointType,State]");
                foreach (var service in t.MissingEndpoints ?? CategoryTable.Of(c.Category).EndpointServices)
                {
                    if (service != "s3")
                    {
                        yield return NextStep.Change($"Add the {service} interface endpoint with private DNS, in a security group that allows 443 from the task",
                            ["aws", "ec2", "create-vpc-endpoint", "--region", r, "--vpc-id", Vpc(t), "--vpc-endpoint-type", "Interface", "--service-name", $"com.amazonaws.{t.Region}.{service}", "--subnet-ids", .. Subnets(t), "--security-group-ids", "<endpoint-security-group-id>", "--private-dns-enabled"]);
                    }
                    else if (t.S3GatewayOffTable is { } s3)
                    {
                        yield return NextStep.Change($"Put the S3 gateway endpoint {s3} (image layers are served from S3) on the task's route table",
                            "aws", "ec2", "modify-vpc-endpoint", "--region", r, "--vpc-endpoint-id", s3, "--add-route-table-ids", RouteTable(t));
                    }
                    else
                    {
                        yield return NextStep.Change("Add the S3 gateway endpoint (image layers are served from S3) to the task's route tables",
                            "aws", "ec2", "create-vpc-endpoint", "--region", r, "--vpc-id", Vpc(t), "--vpc-endpoint-type", "Gateway", "--service-name", $"com.amazonaws.{t.Region}.s3", "--route-table-ids", RouteTable(t));
                    }
                }

                break;
            case FixId.OpenNetworkAcl:
                var acl = t.NetworkAclId ?? "<network-acl-id>";
                yield return NextStep.Check("Read the network ACL of the task's subnet (rules are evaluated in order; the first match decides)", Fact.NetworkAcl,
                    "aws", "ec2", "describe-network-acls", "--region", r, "--filters", $"Name=association.subnet-id,Values={Subnet(t)}", "--query", "NetworkAcls[0].{id:NetworkAclId,entries:Entries}");
                yield return NextStep.Chain(t.NetworkAclId is null
                        ? "Allow outbound HTTPS and the inbound return ports (replace '<network-acl-id>'; pick free rule numbers below any deny rule)"
                        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Allow outbound HTTPS and the inbound return ports in {acl} with rules {t.EgressRuleNumber} and {t.IngressRuleNumber}, ahead of the rules that deny them (pick other numbers if these are taken)"),
                    ["aws", "ec2", "create-network-acl-entry", "--region", r, "--network-acl-id", acl, "--egress", "--rule-number", Number(t.EgressRuleNumber), "--protocol", "tcp", "--port-range", "From=443,To=443", "--cidr-block", "0.0.0.0/0", "--rule-action", "allow"],
                    ["aws", "ec2", "create-network-acl-entry", "--region", r, "--network-acl-id", acl, "--ingress", "--rule-number", Number(t.IngressRuleNumber), "--protocol", "tcp", "--port-range", "From=1024,To=65535", "--cidr-block", "0.0.0.0/0", "--rule-action", "allow"])
                    with { Kind = StepKind.Change };
                break;
            case FixId.EnableVpcDns:
                yield return NextStep.Chain("Turn on DNS resolution and DNS hostnames in the task's VPC (interface endpoints and EFS need both)",
                    ["aws", "ec2", "modify-vpc-attribute", "--region", r, "--vpc-id", Vpc(t), "--enable-dns-support", "{\"Value\":true}"],
                    ["aws", "ec2", "modify-vpc-attribute", "--region", r, "--vpc-id", Vpc(t), "--enable-dns-hostnames", "{\"Value\":true}"])
                    with { Kind = StepKind.Change };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }

    /// <summary>
    /// Opening a security group: the rule the diagnosis proved missing (the endpoints' inbound 443 from the task,
    /// the task's outbound 443, the task's inbound from the load balancer), then the reads for what it could not tell.
    /// </summary>
    private static IEnumerable<NextStep> OpenSecurityGroup(CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        foreach (var group in t.ClosedEndpointGroups)
        {
            yield return NextStep.Change($"Let the task's HTTPS into the endpoints' security group {group}",
                ["aws", "ec2", "authorize-security-group-ingress", "--region", r, "--group-id", group, "--ip-permissions", GroupPermission(443, Groups(t))]);
        }

        var health = Category.FamilyOf(c.Category) == "health";
        if (health && t.ContainerPort is { } port && t.LoadBalancerGroups.Count > 0)
        {
            foreach (var group in Groups(t))
            {
                yield return NextStep.Change(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Let the load balancer reach the container port {port} in the task's security group {group}"),
                    ["aws", "ec2", "authorize-security-group-ingress", "--region", r, "--group-id", group, "--ip-permissions", GroupPermission(port, t.LoadBalancerGroups)]);
            }
        }

        yield return NextStep.Check("List the service's subnets and security groups", Fact.ServiceNetwork,
            "aws", "ecs", "describe-services", "--region", r, "--cluster", t.Cluster, "--services", Service(t), "--query", "services[0].networkConfiguration.awsvpcConfiguration");
        yield return NextStep.Check(health
                ? "Check the task security group: inbound from the load balancer's security group on the container port"
                : "Check the task security group: outbound 443 for AWS APIs",
            health ? Fact.TaskIngress : Fact.TaskEgress,
            ["aws", "ec2", "describe-security-groups", "--region", r, "--group-ids", .. Groups(t), "--query", "SecurityGroups[*].{id:GroupId,inbound:IpPermissions,outbound:IpPermissionsEgress}"]);
    }

    /// <summary>One TCP port from the given security groups, in the CLI's shorthand for --ip-permissions (one argument).</summary>
    private static string GroupPermission(int port, IReadOnlyList<string> sourceGroups) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"IpProtocol=tcp,FromPort={port},ToPort={port},UserIdGroupPairs=[{string.Join(',', sourceGroups.Select(g => $"{{GroupId={g}}}"))}]");
}
