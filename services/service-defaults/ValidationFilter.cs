using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ServiceDefaults;

/// <summary>The one validation path: an endpoint filter answering 400 validation problem details for an invalid body.</summary>
public static class ValidationFilter
{
    /// <summary>Validates the endpoint's <typeparamref name="T"/> argument before the handler runs.</summary>
    public static RouteHandlerBuilder WithValidation<T>(this RouteHandlerBuilder builder) where T : IValidatable =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var body = context.Arguments.OfType<T>().FirstOrDefault();
            if (body is null)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["body"] = [$"A JSON body ({typeof(T).Name}) is required."] },
                    title: "Missing request body");
            }

            var errors = body.Validate();
            return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : await next(context);
        }).ProducesValidationProblem();
}
