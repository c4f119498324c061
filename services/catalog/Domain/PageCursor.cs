using System.Buffers.Text;
using System.Text;
using Contracts;

namespace Catalog.Domain;

/// <summary>
/// The opaque paging cursor: the last id of a page, base64url-encoded. Paging "after an id" stays correct while items
/// are added or removed between pages, which an offset would not.
/// </summary>
public static class PageCursor
{
    public static string Encode(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastId));

    public static bool TryDecode(string cursor, out string lastId)
    {
        lastId = string.Empty;
        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (!ResourceId.IsValid(decoded))
            {
                return false;
            }

            lastId = decoded;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
