namespace EcsTimeoutRemediator.Vocabulary;

/// <summary>An IPv4 CIDR block.</summary>
public readonly record struct Cidr(uint Network, int PrefixLength)
{
    public static Cidr Anywhere { get; } = new(0, 0);

    private uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    /// <summary>True when every address of <paramref name="other"/> is inside this block.</summary>
    public bool Contains(Cidr other) => other.PrefixLength >= PrefixLength && (other.Network & Mask) == (Network & Mask);

    public static bool TryParse(string? text, out Cidr cidr)
    {
        cidr = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var prefix = 32;
        if (slash >= 0 && !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix))
        {
            return false;
        }

        if (prefix is < 0 or > 32 || !System.Net.IPAddress.TryParse(addressText, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        cidr = new Cidr(((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3], prefix);
        return true;
    }

    public override string ToString() =>
        $"{Network >> 24}.{(Network >> 16) & 255}.{(Network >> 8) & 255}.{Network & 255}/{PrefixLength}";
}
