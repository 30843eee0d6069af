using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Harmony.Core.Envelopes;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: object keys sorted by UTF-16 code units, no whitespace, strings and
/// numbers written the way ECMAScript's <c>JSON.stringify</c> writes them.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical form of a parsed JSON value, as UTF-8 bytes.</summary>
    public static byte[] Serialize(JsonElement value)
    {
        var builder = new StringBuilder(256);
        Write(builder, value);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>The canonical form of a parsed JSON value, as a string.</summary>
    public static string SerializeToString(JsonElement value)
    {
        var builder = new StringBuilder(256);
        Write(builder, value);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(builder, value);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, ReadString(value));
                break;
            case JsonValueKind.Number:
                // JSON.parse turns a number too large for a double into Infinity, which JSON.stringify writes as null.
                builder.Append(value.TryGetDouble(out var number) && double.IsFinite(number) ? FormatNumber(number) : "null");
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                throw new ArgumentException($"JSON value of kind {value.ValueKind} cannot be canonicalized.", nameof(value));
        }
    }

    private static void WriteObject(StringBuilder builder, JsonElement value)
    {
        // JSON.parse keeps the last of duplicate keys; so do we, so both sides sign the same object.
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            properties[property.Name] = property.Value;
        }

        var keys = properties.Keys.ToArray();

        // Ordinal comparison of .NET strings compares UTF-16 code units, which is what RFC 8785 asks for.
        Array.Sort(keys, StringComparer.Ordinal);

        builder.Append('{');
        for (var i = 0; i < keys.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            WriteString(builder, keys[i]);
            builder.Append(':');
            Write(builder, properties[keys[i]]);
        }

        builder.Append('}');
    }

    // System.Text.Json refuses to decode a lone surrogate escape (\ud800), which JSON.parse accepts; decode the
    // escapes ourselves in that case so both sides see the same string.
    private static string ReadString(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = value.GetRawText();
            var result = new StringBuilder(raw.Length);
            for (var i = 1; i < raw.Length - 1; i++)
            {
                if (raw[i] != '\\')
                {
                    result.Append(raw[i]);
                    continue;
                }

                var escape = raw[++i];
                result.Append(escape switch
                {
                    'b' => '\b',
                    'f' => '\f',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => (char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    _ => escape,
                });
                if (escape == 'u')
                {
                    i += 4;
                }
            }

            return result.ToString();
        }
    }

    /// <summary>Writes a string as <c>JSON.stringify</c> does: only quote, backslash and control characters escaped.</summary>
    internal static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20 || IsLoneSurrogate(value, i))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    // Well-formed JSON.stringify (ES2019) escapes unpaired surrogates instead of emitting invalid UTF-16.
    private static bool IsLoneSurrogate(string value, int index)
    {
        var c = value[index];
        if (char.IsHighSurrogate(c))
        {
            return index + 1 >= value.Length || !char.IsLowSurrogate(value[index + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return index == 0 || !char.IsHighSurrogate(value[index - 1]);
        }

        return false;
    }

    /// <summary>Formats a double as ECMAScript's Number.prototype.toString does (ECMA-262, Number::toString).</summary>
    internal static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException("NaN and Infinity have no JSON form.", nameof(value));
        }

        if (value == 0)
        {
            return "0"; // Both 0 and -0.
        }

        // "R" gives the shortest digits that round-trip, like ECMAScript; only the layout differs.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(shortest);
        var k = digits.Length;
        var n = exponent; // value = 0.digits × 10^n

        var result = new StringBuilder(32);
        if (value < 0)
        {
            result.Append('-');
        }

        if (k <= n && n <= 21)
        {
            result.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            result.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var e = n - 1;
            result.Append(digits[0]);
            if (k > 1)
            {
                result.Append('.').Append(digits, 1, k - 1);
            }

            result.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }

        return result.ToString();
    }

    // Splits .NET's shortest round-trip text ("123.45", "1E+21", "1.5E-07") into significant digits and the
    // position n of the decimal point relative to them, so that value = 0.d1d2…dk × 10^n.
    private static (string Digits, int Exponent) Decompose(string text)
    {
        var exponent = 0;
        var mantissa = text;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = text[..e];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fraction = dot >= 0 ? mantissa[(dot + 1)..] : string.Empty;
        var all = integerPart + fraction;
        var pointPosition = integerPart.Length + exponent;

        var leadingZeros = 0;
        while (leadingZeros < all.Length - 1 && all[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        var digits = all[leadingZeros..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, pointPosition - leadingZeros);
    }
}
