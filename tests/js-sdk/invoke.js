"use strict";
// Service invocation through the JS SDK: GET, POST with a JSON body, query string, and an app's error status.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT, TARGET_APP_ID (the test's app behind a sidecar: /echo, /status/{code}).
const { HttpMethod } = require("@dapr/dapr");
const { client, env, run, step } = require("./lib/harness");

const dapr = client();
const target = env("TARGET_APP_ID");

run(async () => {
  await step("get", () => dapr.invoker.invoke(target, "echo", HttpMethod.GET));
  await step("post", () => dapr.invoker.invoke(target, "echo", HttpMethod.POST, { orderId: "o-1", quantity: 2 }));
  await step("put", () => dapr.invoker.invoke(target, "echo", HttpMethod.PUT, { orderId: "o-2" }));
  await step("delete", () => dapr.invoker.invoke(target, "echo", HttpMethod.DELETE));
  await step("query", () => dapr.invoker.invoke(target, "echo?color=blue&size=3", HttpMethod.GET));
  await step("notFound", () => dapr.invoker.invoke(target, "status/404", HttpMethod.GET));
  await step("unknownApp", () => dapr.invoker.invoke("no-such-app", "echo", HttpMethod.GET));
});
