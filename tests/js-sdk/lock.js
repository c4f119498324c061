"use strict";
// Distributed lock through the JS SDK: take, contend, unlock by a stranger, by the owner, and of a missing lock.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT, STORE (a lock store; the test uses the embedded one, no Redis needed).
const { LockStatus } = require("@dapr/dapr/types/lock/UnlockResponse");
const { client, env, run, step } = require("./lib/harness");

const dapr = client();
const store = env("STORE");
// unlock answers the SDK's LockStatus enum (a number; the index does not export the enum, hence the deep require).
// The script records its name so the test's message reads as daprd's status.
const named = async (call) => {
  const answer = await call;
  return LockStatus[answer.status] ?? `unknown status ${JSON.stringify(answer)}`;
};

run(async () => {
  await step("lock", () => dapr.lock.lock(store, "order-17", "worker-a", 60));
  await step("lockBySecondOwner", () => dapr.lock.lock(store, "order-17", "worker-b", 60));
  await step("lockAgainBySameOwner", () => dapr.lock.lock(store, "order-17", "worker-a", 60));
  await step("unlockByOther", () => named(dapr.lock.unlock(store, "order-17", "worker-b")));
  await step("unlockByOwner", () => named(dapr.lock.unlock(store, "order-17", "worker-a")));
  await step("lockAfterUnlock", () => dapr.lock.lock(store, "order-17", "worker-b", 60));
  await step("unlockMissing", () => named(dapr.lock.unlock(store, "no-such-lock", "worker-a")));
  await step("lockUnknownStore", () => dapr.lock.lock("no-such-store", "order-17", "worker-a", 60));
  await step("lockZeroExpiry", () => dapr.lock.lock(store, "order-18", "worker-a", 0));
});
