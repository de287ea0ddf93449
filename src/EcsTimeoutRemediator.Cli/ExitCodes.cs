namespace EcsTimeoutRemediator.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int InternalError = 1;
    public const int BadInput = 2;
    public const int FindingsMissing = 3;
}

/// <summary>Bad usage or input: reported in one line on stderr with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
