using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Gathering;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

public class AreaCheckTests
{
    private const string ExecutionRole = "arn:aws:iam::111122223333:role/app-execution";
    private const string TaskRole = "arn:aws:iam::111122223333:role/app-task";

    private static readonly TaskDefinitionFacts TwoRoles = new()
    {
        TaskDefinitionArn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/app:3",
        ExecutionRoleArn = ExecutionRole,
        TaskRoleArn = TaskRole,
    };

    [Theory]
    [MemberData(nameof(ReadAreaTests.SingleAreas), MemberType = typeof(ReadAreaTests))]
    public void Diagnoser_WhenADiagnosisAreaIsInTheScope_ShouldHaveACheckAnsweringIt(DiagnosisScope area)
    {
        Assert.Contains(Diagnoser.Checks, check => check.Checks.HasFlag(area));
    }

    [Fact]
    public void Diagnoser_WhenItsChecksAreListed_ShouldListEachAreaCheckOnce()
    {
        var types = Diagnoser.Checks.Select(c => c.GetType()).ToList();
        var declared = typeof(IAreaCheck).Assembly.GetTypes()
            .Where(t => typeof(IAreaCheck).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false });

        Assert.Equal(types.Count, types.Distinct().Count());
        Assert.Equal(declared.OrderBy(t => t.Name), types.OrderBy(t => t.Name));
    }

    public static TheoryData<string> ReadActions() => [.. ReadAreas.Actions];

    [Theory]
    [MemberData(nameof(ReadActions))]
    public void NameOfUnread_WhenARead_IsNotAnswered_ShouldBeNamedByExactlyOneCheck(string action)
    {
        var gap = new ReadGap(action, ExecutionRole, "service unavailable");

        var names = Diagnoser.Checks.Select(c => c.NameOfUnread(gap, TwoRoles)).OfType<string>().ToList();

        var name = Assert.Single(names);
        Assert.Matches("^[a-z][a-z0-9-]+$", name);
    }

    [Theory]
    [InlineData(TaskRole, "efs-iam")]
    [InlineData(ExecutionRole, "execution-role")]
    public void NameOfUnread_WhenARoleSimulationIsNotAnswered_ShouldNameTheAreaOfThatRole(string role, string expected)
    {
        var gap = new ReadGap("iam:SimulatePrincipalPolicy", role, "service unavailable");

        var names = Diagnoser.Checks.Select(c => c.NameOfUnread(gap, TwoRoles)).OfType<string>().ToList();

        Assert.Equal([expected], names);
    }

    [Fact]
    public void NameOfUnread_WhenOneRoleIsBothExecutionAndTaskRole_ShouldNameTheExecutionRole()
    {
        var gap = new ReadGap("iam:SimulatePrincipalPolicy", ExecutionRole, "service unavailable");
        var oneRole = TwoRoles with { TaskRoleArn = ExecutionRole };

        var names = Diagnoser.Checks.Select(c => c.NameOfUnread(gap, oneRole)).OfType<string>().ToList();

        Assert.Equal(["execution-role"], names);
    }

    [Fact]
    public void Check_WhenTheScopeIsNone_ShouldFindNothingInAnyArea()
    {
        var target = new DiagnosisTarget { Cluster = "prod", Region = "eu-west-1", Account = "111122223333" };
        var input = new CheckInput(target, Category.HealthElb, DiagnosisScope.None, new InfrastructureContext { TaskDefinition = TwoRoles }, "111122223333");

        Assert.All(Diagnoser.Checks, check => Assert.Empty(check.Check(input)));
    }
}
