"use strict";
// A JS SDK app (DaprServer, HTTP, on APP_PORT: the sidecar's --app-port) behind the local sidecar: it subscribes to a
// topic, bulk-subscribes to another and serves an invocation method; a DaprClient on the protocol under test publishes
// (one event, a text event, a bulk publish) and invokes the app through the sidecar.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT, APP_PORT, APP_ID (the sidecar's), PUBSUB (a pub/sub component), TOPIC.
const { DaprServer, CommunicationProtocolEnum, HttpMethod } = require("@dapr/dapr");
const { client, env, logger, run, step, waitUntil, waitForSubscriptions } = require("./lib/harness");

const pubsub = env("PUBSUB");
const topic = env("TOPIC");
const bulkTopic = `${topic}-bulk`;
const received = [];
const receivedInBulk = [];

run(async () => {
  // The app side speaks HTTP here; server-grpc.js covers a gRPC DaprServer behind --app-protocol grpc.
  const server = new DaprServer({
    serverHost: "127.0.0.1",
    serverPort: env("APP_PORT"),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    clientOptions: { daprHost: "127.0.0.1", daprPort: env("DAPR_HTTP_PORT") },
    logger,
  });
  await server.pubsub.subscribe(pubsub, topic, async (data) => {
    received.push(data);
  });
  await server.pubsub.subscribeBulk(pubsub, bulkTopic, async (data) => {
    receivedInBulk.push(data);
  }, { maxMessagesCount: 10, maxAwaitDurationMs: 100 });
  await server.invoker.listen("greet", async ({ body, query }) => ({ greeting: `hello ${JSON.parse(body).name}`, query }),
    { method: HttpMethod.POST });
  await server.start();

  const dapr = client();
  await step("subscribed", () => waitForSubscriptions([topic, bulkTopic]));
  await step("publishObject", () => dapr.pubsub.publish(pubsub, topic, { orderId: "o-1" }));
  await step("publishText", () => dapr.pubsub.publish(pubsub, topic, "hello"));
  await step("publishBulk", () => dapr.pubsub.publishBulk(pubsub, topic, [{ orderId: "b-1" }, { orderId: "b-2" }]));
  await step("publishUnknownPubSub", () => dapr.pubsub.publish("no-such-pubsub", topic, { orderId: "x" }));
  for (const id of ["s-1", "s-2", "s-3"]) {
    await step(`publishToBulkSubscriber-${id}`, () => dapr.pubsub.publish(pubsub, bulkTopic, { orderId: id }));
  }

  await step("delivered", () => waitUntil(() => received.length >= 4 && receivedInBulk.length >= 3, 15000));
  // Delivery order is the broker's, not part of the contract: sort for a stable comparison.
  await step("received", () => received.map((data) => JSON.stringify(data)).sort());
  await step("receivedInBulk", () => receivedInBulk.map((data) => JSON.stringify(data)).sort());

  await step("invokeApp", () => dapr.invoker.invoke(env("APP_ID"), "greet", HttpMethod.POST, { name: "dee" }));
  await server.stop();
});
