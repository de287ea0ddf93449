using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Classification;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>
/// A value a chat button's command takes from the notification, with the only form it may have. <see cref="Name"/>
/// is its key in the notification; <see cref="Token"/> is how the command text names it (<c>$token</c>): the custom
/// action API takes at most <see cref="ChatActions.MaxCommandText"/> characters of command text, so the tokens are short.
/// </summary>
public sealed record ChatVariable(string Name, string Token, Regex Form)
{
    /// <summary>Where the value sits in the Chatbot custom notification.</summary>
    public string Path => ChatActions.ContextPath + Name;
}

/// <summary>
/// A fix a person can approve with one click on the chat advisory (an Amazon Q Developer in chat applications
/// custom action): the AWS CLI command it runs, as argv with <c>$variable</c> holes, and the text of its button.
/// The command runs under the channel's role after the person confirms it; it needs no opt-in tag, since a person
/// decided. Its variables are filled from the advisory's own command for the same fix, so the button runs exactly
/// what the advisory prints.
/// </summary>
public sealed record ChatAction(
    string Name,
    string ButtonText,
    string Fix,
    bool IsRevert,
    IReadOnlyList<string> Command)
{
    /// <summary>The variables the command takes, in the order they appear.</summary>
    public IReadOnlyList<ChatVariable> Variables =>
        [.. Command.Where(a => a.StartsWith('$')).Select(a => ChatActions.VariableOfToken(a[1..])).Distinct()];

    /// <summary>The command as the custom action's <c>CommandText</c> (Chatbot takes the CLI without the leading <c>aws</c>).</summary>
    public string CommandText => string.Join(' ', Command);

    /// <summary>
    /// The bindings of <see cref="Command"/> against <paramref name="argv"/> (a command the advisory prints, with
    /// its leading <c>aws</c>): null unless every word matches and every value has its variable's form.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Bind(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count != Command.Count + 1 || argv[0] != "aws")
        {
            return null;
        }

        var bound = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Command.Count; i++)
        {
            var word = Command[i];
            var value = argv[i + 1];
            if (!word.StartsWith('$'))
            {
                if (word != value)
                {
                    return null;
                }

                continue;
            }

            var variable = ChatActions.VariableOfToken(word[1..]);
            if (!variable.Form.IsMatch(value) || (bound.TryGetValue(variable.Name, out var earlier) && earlier != value))
            {
                return null;
            }

            bound[variable.Name] = value;
        }

        return bound;
    }
}

/// <summary>
/// The chat buttons the stack defines (template.yaml, <c>AWS::Chatbot::CustomAction</c>) and the notification
/// variables that make each appear. A variable is set only from a command the advisory prints for a fix the
/// diagnosis proved (or from an applied fix's undo), and only when its value has the strict form of an id, so no
/// text from a stop message reaches a button.
/// </summary>
public static class ChatActions
{
    /// <summary>The notification field the variables live in.</summary>
    public const string ContextPath = "event.metadata.additionalContext.";

    public const string ButtonPrefix = "ecs-remediator-";

    /// <summary>The longest command text CreateCustomAction accepts.</summary>
    public const int MaxCommandText = 100;

    private static readonly Regex Region = new(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex EcsName = new("^[A-Za-z0-9_-]{1,255}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex Seconds = new("^[0-9]{1,5}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex LogGroupName = new(@"^[A-Za-z0-9_\-./#]{1,512}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex AwsvpcConfiguration = new(
        @"^awsvpcConfiguration=\{subnets=\[subnet-[0-9a-f]{8,17}(,subnet-[0-9a-f]{8,17}){0,15}\],securityGroups=\[(sg-[0-9a-f]{8,17}(,sg-[0-9a-f]{8,17}){0,4})?\],assignPublicIp=(ENABLED|DISABLED)\}$",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>
    /// The account the advisory is about. A button runs in the chat channel's account, so each attachment also
    /// requires this to equal the stack's account: an advisory about a member account of an organization-wide
    /// deployment shows no button that would act on a same-named service of the central account.
    /// </summary>
    public static ChatVariable Account { get; } = new("account", "account", new Regex("^[0-9]{12}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    /// <summary>Every variable a button may take, with its form.</summary>
    public static IReadOnlyList<ChatVariable> AllVariables { get; } =
    [
        Account,
        new("region", "r", Region),
        new("cluster", "c", EcsName),
        new("service", "s", EcsName),
        new("gracePeriod", "g", Seconds),
        new("networkConfiguration", "n", AwsvpcConfiguration),
        new("logGroup", "l", LogGroupName),
        new("previousGracePeriod", "pg", Seconds),
        new("previousNetworkConfiguration", "pn", AwsvpcConfiguration),
    ];

    public static IReadOnlyList<ChatAction> All { get; } =
    [
        new(ButtonPrefix + "raise-grace", "Raise the grace period", FixId.RaiseHealthCheckGrace, false,
            ["ecs", "update-service", "--region", "$r", "--cluster", "$c", "--service", "$s", "--health-check-grace-period-seconds", "$g"]),
        new(ButtonPrefix + "public-ip", "Give tasks a public IP (Security Hub ECS.2)", FixId.EnableAssignPublicIp, false,
            ["ecs", "update-service", "--region", "$r", "--cluster", "$c", "--service", "$s", "--network-configuration", "$n"]),
        new(ButtonPrefix + "create-log-group", "Create the log group", FixId.CreateLogGroup, false,
            ["logs", "create-log-group", "--region", "$r", "--log-group-name", "$l"]),
        new(ButtonPrefix + "undo-grace", "Undo the grace period change", FixId.RaiseHealthCheckGrace, true,
            ["ecs", "update-service", "--region", "$r", "--cluster", "$c", "--service", "$s", "--health-check-grace-period-seconds", "$pg"]),
        new(ButtonPrefix + "undo-public-ip", "Undo the public IP change", FixId.EnableAssignPublicIp, true,
            ["ecs", "update-service", "--region", "$r", "--cluster", "$c", "--service", "$s", "--network-configuration", "$pn"]),
    ];

    public static ChatVariable Variable(string name) =>
        AllVariables.FirstOrDefault(v => v.Name == name) ?? throw new ArgumentException($"no chat variable {name}", nameof(name));

    /// <summary>The variable a command's <c>$token</c> names.</summary>
    public static ChatVariable VariableOfToken(string token) =>
        AllVariables.FirstOrDefault(v => v.Token == token) ?? throw new ArgumentException($"no chat variable with token {token}", nameof(token));

    /// <summary>
    /// The notification variables of <paramref name="advisory"/>: the bindings of every button whose command
    /// matches one the advisory prints for a proven fix or an applied fix's undo; empty when none does. Bindings
    /// that disagree (two commands naming different clusters) keep the first button only.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ContextOf(Advisory advisory)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var context = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var action in All)
        {
            foreach (var argv in CommandsFor(advisory, action))
            {
                if (action.Bind(argv) is not { } bound || bound.Any(b => context.TryGetValue(b.Key, out var v) && v != b.Value))
                {
                    continue;
                }

                foreach (var (key, value) in bound)
                {
                    context[key] = value;
                }

                break;
            }
        }

        if (context.Count > 0)
        {
            if (!Account.Form.IsMatch(advisory.Task.Account ?? ""))
            {
                return new SortedDictionary<string, string>(StringComparer.Ordinal);
            }

            context[Account.Name] = advisory.Task.Account!;
        }

        return context;
    }

    /// <summary>The actions whose every variable <paramref name="context"/> holds: the buttons a notification shows
    /// (in the stack's own account).</summary>
    public static IReadOnlyList<ChatAction> ShownFor(IReadOnlyDictionary<string, string> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return [.. All.Where(a => context.ContainsKey(Account.Name) && a.Variables.All(v => context.ContainsKey(v.Name)))];
    }

    /// <summary>The variables an attachment extracts from the notification: the command's, and the account.</summary>
    public static IReadOnlyList<ChatVariable> AttachmentVariables(ChatAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return [.. action.Variables, Account];
    }

    /// <summary>The categories whose advisories can carry <paramref name="action"/>: those whose rules name its fix.</summary>
    public static IReadOnlyList<string> CategoriesOf(ChatAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return [.. Category.All.Where(c => ClassificationRules.All.Any(r => r.Category == c && r.Fixes.Contains(action.Fix)))];
    }

    private static IEnumerable<IReadOnlyList<string>> CommandsFor(Advisory advisory, ChatAction action)
    {
        if (action.IsRevert)
        {
            return advisory.Fixes
                .Where(f => f.Fix == action.Fix && f.Result == Policy.FixResult.Applied && f.Revert is { Count: > 0 })
                .Select(f => f.Revert!);
        }

        if (advisory.Fixes.Any(f => f.Fix == action.Fix && f.Result == Policy.FixResult.Applied))
        {
            // The change was made for this failure: its undo is the button, not the same change again.
            return [];
        }

        // Only the fix of a cause the diagnosis proved (or its alternative, or the fix of a further proven problem):
        // a button for a fix that may not apply would invite a change nobody showed was needed.
        return advisory.NextSteps
            .Where(s => s.Fix == action.Fix && s.Kind == StepKind.Change && s.Group is StepGroup.Fix or StepGroup.Alternative or StepGroup.Also && s.Argv.Count == 1)
            .Select(s => s.Argv[0]);
    }
}
