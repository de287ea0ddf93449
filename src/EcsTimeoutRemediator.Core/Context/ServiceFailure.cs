namespace EcsTimeoutRemediator.Context;

/// <summary>
/// A read that AWS did not answer after the SDK's retries: the service failed (5xx), throttled every attempt, or no
/// answer arrived at all (<see cref="Status"/> 0).
/// </summary>
/// <param name="Service">The service that was called ("IAM", "EC2", …); empty when not known.</param>
/// <param name="Status">The HTTP status of the last answer; 0 when none arrived.</param>
/// <param name="ErrorCode">The AWS error code of the last answer ("InternalFailure", "Throttling", "RequestTimeout", …).</param>
/// <param name="Attempts">How many attempts the SDK made; null when it could not be known.</param>
public sealed record ServiceFailure(string Service, int Status, string ErrorCode, int? Attempts)
{
    /// <summary>"IAM answered 500 after 3 attempts", "EC2 answered 400 RequestLimitExceeded after 3 attempts", "ECS did not answer (RequestTimeout) after 2 attempts".</summary>
    public string Describe()
    {
        var who = string.IsNullOrEmpty(Service) ? "AWS" : Service;
        var what = Status switch
        {
            0 => $"{who} did not answer ({ErrorCode})",
            >= 500 or 429 => $"{who} answered {Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            _ => $"{who} answered {Status.ToString(System.Globalization.CultureInfo.InvariantCulture)} {ErrorCode}",
        };
        var tries = Attempts switch
        {
            null => "after the SDK's retries (the number of attempts is not known)",
            1 => "after 1 attempt",
            { } n => $"after {n.ToString(System.Globalization.CultureInfo.InvariantCulture)} attempts",
        };
        return what + " " + tries;
    }
}
