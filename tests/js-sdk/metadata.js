"use strict";
// The metadata API through the JS SDK: get, set an extended attribute, get it back; and the health check.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT.
const { client, run, step } = require("./lib/harness");

const dapr = client();

run(async () => {
  await step("healthy", () => dapr.health.isHealthy());
  await step("get", () => dapr.metadata.get());
  await step("set", () => dapr.metadata.set("shop-owner", "js-sdk"));
  await step("getAfterSet", async () => (await dapr.metadata.get()).extended);
});
