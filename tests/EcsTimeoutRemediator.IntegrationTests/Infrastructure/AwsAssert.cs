using EcsTimeoutRemediator.Aws.Clients;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>Assertions on the <see cref="AwsApiException"/> a client raises.</summary>
public static class AwsAssert
{
    /// <summary>Asserts that <paramref name="call"/> throws an <see cref="AwsApiException"/> of <paramref name="kind"/>, and returns it.</summary>
    public static async Task<AwsApiException> ThrowsAsync(AwsErrorKind kind, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(call);
        Assert.Equal(kind, error.Kind);
        return error;
    }
}
