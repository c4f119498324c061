"use strict";
// State through the JS SDK: save, get, bulk get, delete, transactions, each with and without ETags.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT, STORE (a state store with ETags; the test uses state.in-memory).
const { client, env, run, step } = require("./lib/harness");

const dapr = client();
const store = env("STORE");
const etagOf = async (key) => (await dapr.state.getBulk(store, [key])).find((i) => i.key === key)?.etag;

run(async () => {
  await step("save", () => dapr.state.save(store, [
    { key: "k1", value: { n: 1 } },
    { key: "k2", value: "plain" },
  ]));
  await step("getObject", () => dapr.state.get(store, "k1"));
  await step("getString", () => dapr.state.get(store, "k2"));
  await step("getMissing", () => dapr.state.get(store, "no-such-key"));
  await step("getBulk", async () => (await dapr.state.getBulk(store, ["k1", "k2", "no-such-key"]))
    .map((i) => ({ key: i.key, data: i.data ?? null, hasEtag: typeof i.etag === "string" && i.etag.length > 0 }))
    .sort((a, b) => a.key.localeCompare(b.key)));

  // Optimistic concurrency: the current ETag writes, the ETag it replaced is refused.
  const etag1 = await etagOf("k1");
  await step("saveWithCurrentEtag", () => dapr.state.save(store, [{ key: "k1", value: { n: 2 }, etag: etag1 }]));
  const etag2 = await etagOf("k1");
  await step("etagChangedOnWrite", () => etag1 !== undefined && etag2 !== undefined && etag1 !== etag2);
  await step("saveWithStaleEtag", () => dapr.state.save(store, [{ key: "k1", value: { n: 3 }, etag: etag1 }]));
  await step("afterStaleSave", () => dapr.state.get(store, "k1"));
  await step("deleteWithStaleEtag", () => dapr.state.delete(store, "k1", { etag: etag1 }));
  await step("afterStaleDelete", () => dapr.state.get(store, "k1"));
  await step("deleteWithCurrentEtag", () => dapr.state.delete(store, "k1", { etag: etag2 }));
  await step("afterDelete", () => dapr.state.get(store, "k1"));
  await step("deleteWithoutEtag", () => dapr.state.delete(store, "k2"));
  await step("afterDeleteWithoutEtag", () => dapr.state.get(store, "k2"));

  // Transactions: plain upserts, then an ETag-guarded upsert with a delete, then one refused as a whole.
  await step("transaction", () => dapr.state.transaction(store, [
    { operation: "upsert", request: { key: "t1", value: "one" } },
    { operation: "upsert", request: { key: "t2", value: "two" } },
  ]));
  const t1Etag = await etagOf("t1");
  await step("transactionWithEtag", () => dapr.state.transaction(store, [
    { operation: "upsert", request: { key: "t1", value: "uno", etag: t1Etag } },
    { operation: "delete", request: { key: "t2" } },
  ]));
  await step("transactionWithStaleEtag", () => dapr.state.transaction(store, [
    { operation: "upsert", request: { key: "t3", value: "three" } },
    { operation: "upsert", request: { key: "t1", value: "ein", etag: t1Etag } },
  ]));
  await step("afterTransactions", async () => (await dapr.state.getBulk(store, ["t1", "t2", "t3"]))
    .map((i) => ({ key: i.key, data: i.data ?? null }))
    .sort((a, b) => a.key.localeCompare(b.key)));
});
