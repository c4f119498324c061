using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Sidecar.Components.Bindings;

/// <summary>
/// A query's rows as components-contrib's postgres binding answers them: a JSON array with one array of column values
/// per row, each value as Go's <c>encoding/json</c> writes what pgx decodes (numbers, strings, booleans, null,
/// timestamps in RFC 3339, <c>bytea</c> in base64, <c>json</c>/<c>jsonb</c> as the JSON itself, arrays as arrays, a
/// <c>uuid</c> as its 16 bytes, as pgx's <c>[16]byte</c> marshals).
/// </summary>
// dapr/components-contrib bindings/postgres/postgres.go query (rows.Values() → json.Marshal)
internal static class PostgresRows
{
    public static async Task<byte[]> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            while (await reader.ReadAsync(cancellationToken))
            {
                writer.WriteStartArray();
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    if (await reader.IsDBNullAsync(column, cancellationToken))
                    {
                        writer.WriteNullValue();
                    }
                    else if (reader.GetDataTypeName(column) is "json" or "jsonb")
                    {
                        // Compact, as Go re-encodes the value pgx decoded (jsonb's text has spaces).
                        using var json = JsonDocument.Parse(reader.GetString(column));
                        json.RootElement.WriteTo(writer);
                    }
                    else
                    {
                        Write(writer, reader.GetValue(column));
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null or DBNull: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case short or int or long or byte or sbyte or ushort or uint or ulong:
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case string s: writer.WriteStringValue(s); break;
            case char c: writer.WriteStringValue(c.ToString()); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case DateTime dateTime: writer.WriteStringValue(Rfc3339Nano(dateTime.Kind == DateTimeKind.Local ? dateTime.ToUniversalTime() : dateTime)); break;
            case DateTimeOffset offset: writer.WriteStringValue(Rfc3339Nano(offset.UtcDateTime)); break;
            case DateOnly date: writer.WriteStringValue(Rfc3339Nano(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))); break;
            case Guid guid:
                writer.WriteStartArray();
                foreach (var b in BigEndian(guid))
                {
                    writer.WriteNumberValue(b);
                }

                writer.WriteEndArray();
                break;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static byte[] BigEndian(Guid guid)
    {
        var bytes = new byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes;
    }

    /// <summary>Go's <c>time.RFC3339Nano</c> of a UTC (or zone-less) time: trailing zeros of the fraction dropped, <c>Z</c>.</summary>
    private static string Rfc3339Nano(DateTime utc)
    {
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    /// <summary>Go's <c>time.Duration.String()</c>: <c>1.5ms</c>, <c>2.000013s</c>, <c>1m2s</c>, <c>0s</c>.</summary>
    public static string GoDurationString(TimeSpan duration)
    {
        var nanos = duration.Ticks * 100;
        if (nanos == 0)
        {
            return "0s";
        }

        if (nanos < 1_000)
        {
            return nanos.ToString(CultureInfo.InvariantCulture) + "ns";
        }

        if (nanos < 1_000_000)
        {
            return Trim(nanos / 1_000m) + "µs";
        }

        if (nanos < 1_000_000_000)
        {
            return Trim(nanos / 1_000_000m) + "ms";
        }

        var hours = duration.Ticks / TimeSpan.TicksPerHour;
        var minutes = duration.Ticks / TimeSpan.TicksPerMinute % 60;
        var seconds = (duration.Ticks % TimeSpan.TicksPerMinute) / (decimal)TimeSpan.TicksPerSecond;
        return (hours > 0 ? $"{hours}h{minutes}m" : minutes > 0 ? $"{minutes}m" : "") + Trim(seconds) + "s";

        static string Trim(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
    }

    /// <summary>Go's <c>time.RFC3339Nano</c> of <paramref name="utc"/>.</summary>
    public static string Rfc3339NanoOf(DateTimeOffset utc) => Rfc3339Nano(utc.UtcDateTime);
}
