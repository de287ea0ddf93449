using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Tests.Advisories;

public sealed class RemedyTests
{
    private static readonly NextStep StopReason = NextStep.Check("Read the stop reason", Fact.StopCause, "aws", "ecs", "describe-tasks");
    private static readonly NextStep FindVpc = NextStep.Check("Find the VPC", Fact.SubnetVpc, "aws", "ec2", "describe-subnets") with { Fix = FixId.AddVpcEndpoints };
    private static readonly NextStep CreateEndpoint = NextStep.Change("Add the endpoint", "aws", "ec2", "create-vpc-endpoint") with { Fix = FixId.AddVpcEndpoints };
    private static readonly NextStep ReadRoutes = NextStep.Check("Read the routes", Fact.SubnetRoute, "aws", "ec2", "describe-route-tables") with { Fix = FixId.AddNatRoute };
    private static readonly NextStep CreateRoute = NextStep.Change("Route through NAT", "aws", "ec2", "create-route") with { Fix = FixId.AddNatRoute };
    private static readonly NextStep ReadGroups = NextStep.Check("Read the groups", Fact.TaskEgress, "aws", "ec2", "describe-security-groups") with { Fix = FixId.OpenSecurityGroup };
    private static readonly NextStep ListGroups = NextStep.Check("List the network", null, "aws", "ecs", "describe-services") with { Fix = FixId.OpenSecurityGroup };
    private static readonly NextStep TurnOnDns = NextStep.Change("Turn on DNS", "aws", "ec2", "modify-vpc-attribute") with { Fix = FixId.EnableVpcDns };
    private static readonly NextStep AddAclRule = NextStep.Change("Allow 443", "aws", "ec2", "create-network-acl-entry") with { Fix = FixId.OpenNetworkAcl };

    private static readonly NextStep[] Catalogue = [StopReason, FindVpc, CreateEndpoint, ReadRoutes, CreateRoute, ReadGroups, ListGroups, TurnOnDns, AddAclRule];

    private static Finding NoEndpoints { get; } = new("vpc-endpoints", FindingStatus.Missing, "subnet-1 has no route and vpc-1 lacks the endpoints", ["subnet-1", "vpc-1"], FixId.AddVpcEndpoints)
    {
        Alternatives = [FixId.AddNatRoute],
    };

    [Fact]
    public void Plan_WhenAFindingProvesACause_ShouldLeadWithTheChangeOfItsFix()
    {
        var plan = Remedy.Plan(Catalogue, [NoEndpoints]);

        Assert.Equal(CreateEndpoint.Command, plan[0].Command);
        Assert.Equal(StepGroup.Fix, plan[0].Group);
        Assert.Equal(FixId.AddVpcEndpoints, Remedy.LeadingFix(plan));
    }

    [Fact]
    public void Plan_WhenAFindingStatesWhatAStepLooksUp_ShouldLeaveTheStepOut()
    {
        var plan = Remedy.Plan(Catalogue, [NoEndpoints]);

        Assert.DoesNotContain(plan, s => s.Command == FindVpc.Command);
        Assert.DoesNotContain(plan, s => s.Command == ReadRoutes.Command);
        Assert.DoesNotContain(plan, s => s.Command == StopReason.Command);
    }

    [Fact]
    public void Plan_WhenTheProvingFindingNamesAnotherCure_ShouldGiveItAsTheAlternativeRightAfterTheFix()
    {
        var plan = Remedy.Plan(Catalogue, [NoEndpoints]);

        Assert.Equal([StepGroup.Fix, StepGroup.Alternative], plan.Take(2).Select(s => s.Group!.Value));
        Assert.Equal(CreateRoute.Command, plan[1].Command);
    }

    [Fact]
    public void Plan_WhenACauseIsProven_ShouldDropTheChangesNothingProvedAndKeepTheirOpenReadsLast()
    {
        var plan = Remedy.Plan(Catalogue, [NoEndpoints]);

        Assert.DoesNotContain(plan, s => s.Command == TurnOnDns.Command || s.Command == AddAclRule.Command);
        Assert.Equal([ReadGroups.Command, ListGroups.Command], plan.Where(s => s.Group == StepGroup.Check).Select(s => s.Command));
        Assert.Equal(StepGroup.Check, plan[^1].Group);
    }

    [Fact]
    public void Plan_WhenAnOkFindingStatesTheTasksEgress_ShouldNotAskToReadTheSecurityGroups()
    {
        var egressOk = new Finding("security-group-egress", FindingStatus.Ok, "The task's security groups allow outbound HTTPS (443).", ["sg-1"]);

        var plan = Remedy.Plan(Catalogue, [NoEndpoints, egressOk]);

        Assert.DoesNotContain(plan, s => s.Command == ReadGroups.Command);
        Assert.Contains(plan, s => s.Command == ListGroups.Command);
    }

    [Fact]
    public void Plan_WhenTwoProblemsAreProven_ShouldGiveTheSecondFixAfterTheFirstAndItsAlternatives()
    {
        var acl = new Finding("network-acl", FindingStatus.Wrong, "acl-1 denies outbound 443", ["acl-1"], FixId.OpenNetworkAcl);

        var plan = Remedy.Plan(Catalogue, [NoEndpoints, acl]);

        Assert.Equal([StepGroup.Fix, StepGroup.Alternative, StepGroup.Also], plan.Take(3).Select(s => s.Group!.Value));
        Assert.Equal(AddAclRule.Command, plan[2].Command);
    }

    [Fact]
    public void Plan_WhenNothingIsProven_ShouldReadTheStopReasonFirstAndOfferEveryFix()
    {
        var unknown = new Finding("permission", FindingStatus.Unknown, "unknown (missing permission ec2:DescribeSubnets on subnet-1)", ["subnet-1"]);

        var plan = Remedy.Plan(Catalogue, [unknown]);

        Assert.Equal(Catalogue.Length, plan.Count);
        Assert.Equal((StopReason.Command, StepGroup.Check), (plan[0].Command, plan[0].Group!.Value));
        Assert.All(plan.Skip(1), s => Assert.Equal(StepGroup.Possible, s.Group));
        Assert.Null(Remedy.LeadingFix(plan));
    }

    [Theory]
    [InlineData(FindingStatus.Unknown, 0)]
    [InlineData(FindingStatus.Ok, 3)]
    [InlineData(FindingStatus.Missing, 4)]
    public void HeldBy_WhenTheEndpointsFindingHasAStatus_ShouldHoldWhatItStatesAndTheCauseOnlyWhenItProvesOne(FindingStatus status, int facts)
    {
        var finding = NoEndpoints with { Status = status };

        var held = Fact.HeldBy(finding);

        Assert.Equal(facts, held.Count);
        Assert.Equal(status == FindingStatus.Missing, held.Contains(Fact.StopCause));
    }
}
