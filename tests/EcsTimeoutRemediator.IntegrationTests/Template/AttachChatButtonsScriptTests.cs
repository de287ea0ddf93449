using System.Diagnostics;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>
/// scripts/attach-chat-buttons.sh against a stand-in <c>aws</c> on PATH that answers as CloudFormation and the
/// chatbot API would and records every call (the emulator has no chatbot API).
/// </summary>
public sealed class AttachChatButtonsScriptTests : IDisposable
{
    private const string Grace = "arn:aws:chatbot::111122223333:custom-action/ecs-remediator-raise-grace";
    private const string PublicIp = "arn:aws:chatbot::111122223333:custom-action/ecs-remediator-public-ip";
    private const string OnCall = "arn:aws:chatbot::111122223333:chat-configuration/slack-channel/oncall";
    private const string Platform = "arn:aws:chatbot::111122223333:chat-configuration/slack-channel/platform";

    private const string StubAws = """
        #!/usr/bin/env bash
        printf '%s\n' "$*" >> "$STUB_LOG"
        case "$1 $2" in
          "cloudformation describe-stacks")
            if [[ "$*" == *ChatCustomActionArns* ]]; then echo "$STUB_ACTIONS"; else echo "$STUB_CHANNELS"; fi ;;
          "chatbot list-associations")
            if [[ "$*" == *"$STUB_ATTACHED_CHANNEL"* ]]; then printf '%s\n' "$STUB_ATTACHED"; fi ;;
          "chatbot associate-to-configuration") echo '{}' ;;
          *) echo "unexpected: $*" >&2; exit 9 ;;
        esac
        """;

    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("aws-stub-");

    public AttachChatButtonsScriptTests()
    {
        var aws = Path.Combine(_bin.FullName, "aws");
        File.WriteAllText(aws, StubAws.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private string Log => Path.Combine(_bin.FullName, "calls.log");

    public void Dispose() => _bin.Delete(recursive: true);

    [Fact]
    public void Run_WhenTheStackDefinesButtons_ShouldAttachEachToEveryChannelThatLacksIt()
    {
        var (exit, stdout, stderr) = Run(["my-stack"], actions: $"{Grace},{PublicIp}", channels: $"{OnCall},{Platform}", attachedChannel: OnCall, attached: Grace);

        Assert.True(exit == 0, stderr);
        var associations = File.ReadAllLines(Log).Where(l => l.StartsWith("chatbot associate-to-configuration", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                $"chatbot associate-to-configuration --resource {PublicIp} --chat-configuration {OnCall}",
                $"chatbot associate-to-configuration --resource {Grace} --chat-configuration {Platform}",
                $"chatbot associate-to-configuration --resource {PublicIp} --chat-configuration {Platform}",
            ],
            associations);
        Assert.Contains($"already attached: {Grace} to {OnCall}", stdout, StringComparison.Ordinal);
        Assert.All(File.ReadAllLines(Log).Where(l => l.StartsWith("cloudformation", StringComparison.Ordinal)), l => Assert.Contains("--stack-name my-stack", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("None", "None")]
    [InlineData("", "")]
    public void Run_WhenTheStackHasNoChatChannels_ShouldExitTwoAndAttachNothing(string actions, string channels)
    {
        var (exit, _, stderr) = Run(["my-stack"], actions, channels, attachedChannel: "-", attached: "");

        Assert.Equal(2, exit);
        Assert.Contains("defines no chat buttons", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(Log), l => l.StartsWith("chatbot", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_WhenNoStackIsNamed_ShouldPrintUsageAndCallNothing()
    {
        var (exit, _, stderr) = Run([], actions: Grace, channels: OnCall, attachedChannel: "-", attached: "");

        Assert.Equal(2, exit);
        Assert.StartsWith("usage: scripts/attach-chat-buttons.sh STACK_NAME", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Log));
    }

    private (int Exit, string Stdout, string Stderr) Run(string[] arguments, string actions, string channels, string attachedChannel, string attached)
    {
        var script = Path.Combine(LambdaRuntime.LambdaPackage.RepositoryRoot, "scripts", "attach-chat-buttons.sh");
        var start = new ProcessStartInfo("bash", [script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PATH"] = _bin.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["STUB_LOG"] = Log;
        start.Environment["STUB_ACTIONS"] = actions;
        start.Environment["STUB_CHANNELS"] = channels;
        start.Environment["STUB_ATTACHED_CHANNEL"] = attachedChannel;
        start.Environment["STUB_ATTACHED"] = attached;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
