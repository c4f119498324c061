"use strict";
// Invocation of an external HTTP service through a `kind: HTTPEndpoint` resource, by its name as the app id.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT, ENDPOINT (the resource's name; the test's server answers with what it saw).
const { HttpMethod } = require("@dapr/dapr");
const { client, env, run, step } = require("./lib/harness");

const dapr = client();
const endpoint = env("ENDPOINT");

run(async () => {
  await step("post", () => dapr.invoker.invoke(endpoint, "orders/17", HttpMethod.POST, { item: "book" }));
  // The caller's own headers (sent by the HTTP client only; the gRPC client has no per-call headers): x-caller reaches
  // the service, x-static loses to the resource's value.
  await step("postWithCallerHeader", () => dapr.invoker.invoke(endpoint, "orders", HttpMethod.POST, { item: "pen" },
    { headers: { "x-static": "from-caller", "x-caller": "yes" } }));
  await step("get", () => dapr.invoker.invoke(endpoint, "orders/18", HttpMethod.GET));
  // The service's own error status (its /fail answers 503 "try later") is passed on, not turned into a sidecar error.
  await step("failing", () => dapr.invoker.invoke(endpoint, "fail", HttpMethod.GET));
});
