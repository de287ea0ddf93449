using System.Text;

namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>
/// The plain-text e-mail: the advisory body (fields aligned for a fixed or proportional font, commands on
/// their own indented lines so a mail client does not re-flow them), then the console and runbook links on
/// lines of their own so every client makes them clickable, then the incident key.
/// </summary>
public static class EmailFormat
{
    public static string Render(Advisory advisory)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var sb = new StringBuilder(advisory.Body.TrimEnd('\n')).Append('\n');
        if (advisory.ConsoleUrl is not null || advisory.RunbookUrl is not null)
        {
            sb.Append("\nLinks\n");
            if (advisory.ConsoleUrl is { } console)
            {
                sb.Append("  ECS console").Append(ConsoleLinks.InAccount(advisory.Task)).Append(":\n  ").Append(console).Append('\n');
            }

            if (advisory.RunbookUrl is { } runbook)
            {
                sb.Append("  Deeper check with the ").Append(ConsoleLinks.TroubleshootRunbook).Append(" runbook").Append(ConsoleLinks.InAccount(advisory.Task)).Append(":\n  ").Append(runbook).Append('\n');
            }
        }

        sb.Append("\n-- \n");
        if (advisory.IncidentKey is { } key)
        {
            sb.Append("Incident ").Append(key).Append('\n');
        }

        var source = advisory.Task.EventName switch
        {
            null => "ECS Task State Change",
            Events.ServiceEvents.DeploymentFailed => Events.ServiceEvents.DeploymentStateChangeType,
            _ => Events.ServiceEvents.ServiceActionType,
        };
        sb.Append("Sent by ecs-timeout-remediator for an ").Append(source).Append(" event.\n");
        return sb.ToString();
    }
}
