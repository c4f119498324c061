using System.Text.Unicode;

namespace Sidecar.PubSub.Publishing;

/// <summary>
/// components-contrib's <c>contenttype.IsCloudEventProtobuf</c> (<c>contenttype/utils.go</c>): a publish whose content
/// type is <c>application/cloudevents+protobuf</c> is a protobuf CloudEvent; one of <c>application/x-protobuf</c> is
/// one when its bytes decode as the CloudEvents SDK's protobuf <c>CloudEvent</c> message (cloudevents/sdk-go
/// <c>binding/format/protobuf/v2</c> Unmarshal: well-formed wire format, valid UTF-8 in the string fields, and every
/// attribute holding a value). Either way daprd puts the bytes under <c>data_base64</c>. <c>application/protobuf</c> is
/// neither, so its data stays a string, as in daprd.
/// </summary>
internal static class ProtobufCloudEvent
{
    private delegate bool FieldCheck(int number, int wireType, ReadOnlySpan<byte> payload);

    public static bool Is(string contentType, ReadOnlySpan<byte> data) =>
        CloudEventBuilder.IsMediaType(contentType, "application/cloudevents+protobuf")
        || (CloudEventBuilder.IsMediaType(contentType, "application/x-protobuf") && DecodesAsCloudEvent(data));

    // CloudEvent: 1 id, 2 source, 3 spec_version, 4 type, 7 text_data (strings); 5 attributes (map); 6 binary_data;
    // 8 proto_data (google.protobuf.Any). A field of another wire type than declared is kept as unknown, as Go does.
    private static bool DecodesAsCloudEvent(ReadOnlySpan<byte> data) => Walk(data, (number, wireType, payload) => (number, wireType) switch
    {
        (1 or 2 or 3 or 4 or 7, 2) => Utf8.IsValid(payload),
        (5, 2) => IsAttributeEntry(payload),
        (8, 2) => Walk(payload, (n, w, p) => n != 1 || w != 2 || Utf8.IsValid(p)),
        _ => true,
    });

    // A map entry: 1 key (string), 2 value (CloudEventAttributeValue, merged when repeated, as protobuf merges
    // messages); an entry whose value holds nothing fails the SDK's conversion.
    private static bool IsAttributeEntry(ReadOnlySpan<byte> entry)
    {
        var hasValue = false;
        var wellFormed = Walk(entry, (number, wireType, payload) =>
        {
            switch (number, wireType)
            {
                case (1, 2):
                    return Utf8.IsValid(payload);
                case (2, 2):
                    var valid = IsAttributeValue(payload, out var set);
                    hasValue |= set;
                    return valid;
                default:
                    return true;
            }
        });
        return wellFormed && hasValue;
    }

    // CloudEventAttributeValue's oneof: 1 bool, 2 int32 (varints); 3 string, 4 bytes, 5 uri, 6 uri_ref, 7 timestamp.
    private static bool IsAttributeValue(ReadOnlySpan<byte> value, out bool holdsValue)
    {
        var set = false;
        var wellFormed = Walk(value, (number, wireType, payload) =>
        {
            switch (number, wireType)
            {
                case (1 or 2, 0) or (4, 2):
                    set = true;
                    return true;
                case (3 or 5 or 6, 2):
                    set = true;
                    return Utf8.IsValid(payload);
                case (7, 2):
                    set = true;
                    return Walk(payload, (_, _, _) => true);
                default:
                    return true;
            }
        });
        holdsValue = set;
        return wellFormed;
    }

    /// <summary>Reads every field of a message; false when the wire format is broken or <paramref name="check"/> refuses a field.</summary>
    private static bool Walk(ReadOnlySpan<byte> message, FieldCheck check)
    {
        var position = 0;
        while (position < message.Length)
        {
            if (!TryReadField(message, ref position, out var number, out var wireType, out var payload, endGroup: null)
                || !check(number, wireType, message.Slice(payload.Start, payload.Length)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// One field at <paramref name="position"/>; a group is skipped to its end. <paramref name="endGroup"/> is the group
    /// being read, whose end marker is the only end group allowed (reported as wire type 4).
    /// </summary>
    private static bool TryReadField(
        ReadOnlySpan<byte> data, ref int position, out int number, out int wireType, out (int Start, int Length) payload, int? endGroup)
    {
        number = 0;
        wireType = 0;
        payload = (position, 0);
        if (!TryReadVarint(data, ref position, out var tag) || tag >> 3 is 0 or > (1 << 29) - 1)
        {
            return false;
        }

        number = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        var start = position;
        switch (wireType)
        {
            case 0:
                return TryReadVarint(data, ref position, out _);
            case 1 or 5:
                var size = wireType == 1 ? 8 : 4;
                if (data.Length - position < size)
                {
                    return false;
                }

                position += size;
                payload = (start, size);
                return true;
            case 2:
                if (!TryReadVarint(data, ref position, out var length) || length > (ulong)(data.Length - position))
                {
                    return false;
                }

                payload = (position, (int)length);
                position += (int)length;
                return true;
            case 3:
                while (true)
                {
                    if (!TryReadField(data, ref position, out var inner, out var innerType, out _, number))
                    {
                        return false;
                    }

                    if (innerType == 4)
                    {
                        return inner == number;
                    }
                }

            case 4:
                return endGroup == number;
            default:
                return false;
        }
    }

    // Go's protowire.ConsumeVarint: at most 10 bytes, the tenth no more than 1.
    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (var i = 0; i < 10; i++)
        {
            if (position >= data.Length)
            {
                return false;
            }

            var b = data[position++];
            if (i == 9 && b > 1)
            {
                return false;
            }

            value |= (ulong)(b & 0x7f) << (7 * i);
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
