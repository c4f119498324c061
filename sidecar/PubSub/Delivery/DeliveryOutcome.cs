namespace Sidecar.PubSub.Delivery;

/// <summary>What the app said about one event (daprd's reading of the reply).</summary>
public enum DeliveryOutcome
{
    /// <summary>2xx with an empty or non-JSON body, no status, or <c>SUCCESS</c>.</summary>
    Success,

    /// <summary><c>RETRY</c>, an unknown status, a non-2xx other than 404, or no answer: retry by policy.</summary>
    Retry,

    /// <summary><c>DROP</c>: not retried; goes to the dead letter topic when one is set.</summary>
    Drop,

    /// <summary>404: daprd logs it as a non-retriable error and acknowledges the message (no dead letter).</summary>
    NotFound,
}
