using System.Globalization;

namespace EcsTimeoutRemediator.Policy;

/// <summary>The global switch for automatic fixes, set by the template.</summary>
public enum AutoFixMode
{
    /// <summary>The kill switch: no fix is ever applied or planned.</summary>
    Off,

    /// <summary>Fixes are computed and reported as "would change X from A to B", never applied.</summary>
    DryRun,

    /// <summary>Fixes are applied to opted-in services within the budgets.</summary>
    Enforce,
}

/// <summary>The guard rails of automatic fixes. Defaults follow the template's parameters.</summary>
public sealed record PolicySettings
{
    public AutoFixMode Mode { get; init; } = AutoFixMode.Off;

    /// <summary>Default cap on the health-check grace period (a service's tag may lower or raise it up to <see cref="HardMaxGraceSeconds"/>).</summary>
    public int MaxGraceSeconds { get; init; } = 300;

    /// <summary>No tag can raise the cap above this.</summary>
    public int HardMaxGraceSeconds { get; init; } = 900;

    public int MaxFixesPerServicePerDay { get; init; } = 3;
    public TimeSpan MinTimeBetweenFixesOnAService { get; init; } = TimeSpan.FromMinutes(15);
    public int MaxFixesPerAccountPerHour { get; init; } = 10;

    /// <summary>How many failures of one category on one service, within <see cref="EvidenceWindow"/>, prove a pattern.</summary>
    public int EvidenceCount { get; init; } = 2;
    public TimeSpan EvidenceWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Failures of one incident within this window after an advisory are counted, not published.</summary>
    public TimeSpan IncidentWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Added to grace + unhealthy threshold × interval when judging whether a task died during start-up.</summary>
    public TimeSpan StartupMargin { get; init; } = TimeSpan.FromSeconds(60);

    public static AutoFixMode ParseMode(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "off" => AutoFixMode.Off,
        "dry-run" or "dryrun" => AutoFixMode.DryRun,
        "enforce" => AutoFixMode.Enforce,
        _ => throw new FormatException($"AUTO_FIX_MODE must be enforce, dry-run or off, not \"{value}\""),
    };

    /// <summary>Reads the settings from the environment the template sets; a malformed value is a clear error.</summary>
    public static PolicySettings From(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var d = new PolicySettings();
        return new PolicySettings
        {
            Mode = ParseMode(get("AUTO_FIX_MODE")),
            MaxGraceSeconds = Int(get, "MAX_GRACE_SECONDS", d.MaxGraceSeconds, 0, 7200),
            HardMaxGraceSeconds = Int(get, "HARD_MAX_GRACE_SECONDS", d.HardMaxGraceSeconds, 0, 7200),
            MaxFixesPerServicePerDay = Int(get, "MAX_FIXES_PER_SERVICE_PER_DAY", d.MaxFixesPerServicePerDay, 0, 100),
            MinTimeBetweenFixesOnAService = TimeSpan.FromMinutes(Int(get, "MIN_MINUTES_BETWEEN_FIXES", 15, 0, 1440)),
            MaxFixesPerAccountPerHour = Int(get, "MAX_FIXES_PER_ACCOUNT_PER_HOUR", d.MaxFixesPerAccountPerHour, 0, 1000),
            EvidenceCount = Int(get, "EVIDENCE_COUNT", d.EvidenceCount, 1, 100),
            EvidenceWindow = TimeSpan.FromMinutes(Int(get, "EVIDENCE_WINDOW_MINUTES", 30, 1, 1440)),
            IncidentWindow = TimeSpan.FromMinutes(Int(get, "INCIDENT_WINDOW_MINUTES", 30, 1, 1440)),
        };
    }

    private static int Int(Func<string, string?> get, string name, int fallback, int min, int max)
    {
        var raw = get(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FormatException($"{name} must be a whole number from {min} to {max}, not \"{raw}\"");
        }

        return value;
    }
}
