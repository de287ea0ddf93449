using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Tests.Classification;

/// <summary>
/// A shared sample must be worth sharing: with its names masked it still classifies as the stop did, so a sample that
/// came out unknown is a real gap, and one a new rule fixes is fixed for the stop it came from.
/// </summary>
public class FieldSampleTests
{
    [Fact]
    public void Of_WhenEveryCorpusLineIsMasked_ShouldClassifyAsTheOriginal()
    {
        var changed = new List<string>();
        foreach (var facts in Corpora.AllStops())
        {
            var original = Classifier.Classify(facts);
            var sample = FieldSample.Of(facts, original);
            var again = Classifier.Classify(sample.ToFacts());
            if (again.Category != original.Category)
            {
                changed.Add($"{original.Category} → {again.Category}: {sample.StoppedReason}");
            }
        }

        Assert.True(changed.Count == 0, $"{changed.Count} masked lines changed category:\n{string.Join('\n', changed)}");
    }

    [Theory]
    [InlineData("failed for arn:aws:iam::210987654321:role/payments-exec in 210987654321", "210987654321")]
    [InlineData("credentials AKIAIOSFODNN7EXAMPLE were refused", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("reported by jane.doe@acme.example.com", "jane.doe")]
    [InlineData("pull rate limit as 'acmeci': dckr_jti_Xk2c9Qh3vT1bW8mYpL0aZ4eR6sU=: You may increase the limit", "dckr_jti_Xk2c9Qh3vT1bW8mYpL0aZ4eR6sU")]
    [InlineData("pull access denied for 210987654321.dkr.ecr.eu-west-1.amazonaws.com/payments/api, repository does not exist", "payments")]
    public void Mask_WhenTheTextHoldsAnAccountOrACredential_ShouldNotKeepIt(string text, string secret)
    {
        var masked = SampleText.Mask(text)!;

        Assert.DoesNotContain(secret, masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed")]
    [InlineData("Task failed to start")]
    [InlineData("dial tcp 52.94.48.112:443: i/o timeout on task 0a1b2c3d4e5f60718293a4b5c6d7e8f9")]
    public void Mask_WhenTheTextNamesNothingPrivate_ShouldKeepIt(string text) =>
        Assert.Equal(text, SampleText.Mask(text));

    [Fact]
    public void Of_WhenContainersHaveNoReasonOrExitCode_ShouldLeaveThemOut()
    {
        var facts = new StopFacts
        {
            StoppedReason = "Essential container in task exited",
            Containers = [new ContainerDetail { Name = "sidecar" }, new ContainerDetail { Name = "app", ExitCode = 3 }],
        };

        var sample = FieldSample.Of(facts, Classifier.Classify(facts));

        var only = Assert.Single(sample.Containers);
        Assert.Equal(3, only.ExitCode);
        Assert.Equal("exit/essential", sample.ClassifiedAs);
    }
}
