"use strict";
// Secrets through the JS SDK: one secret, a nested key, a missing one, and the bulk read.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT, FILE_STORE (secretstores.local.file), ENV_STORE (secretstores.local.env),
// ENV_SECRET (a secret the env store serves: the variable's name without the store's prefix, as components-contrib reads it).
const { client, env, run, step } = require("./lib/harness");

const dapr = client();
const fileStore = env("FILE_STORE");
const envStore = env("ENV_STORE");

run(async () => {
  await step("get", () => dapr.secret.get(fileStore, "api-key"));
  await step("getNested", () => dapr.secret.get(fileStore, "redis:password"));
  await step("getMissing", () => dapr.secret.get(fileStore, "no-such-secret"));
  await step("getBulk", () => dapr.secret.getBulk(fileStore));
  await step("getFromEnv", () => dapr.secret.get(envStore, env("ENV_SECRET")));
  await step("unknownStore", () => dapr.secret.get("no-such-store", "api-key"));
});
