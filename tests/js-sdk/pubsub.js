"use strict";
// Pub/sub through the JS SDK: a DaprServer (HTTP app on APP_PORT, the sidecar's --app-port) subscribes, and a
// DaprClient on the protocol under test publishes a JSON event, a text event, event metadata and a bulk publish.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT, APP_PORT, PUBSUB (a pub/sub component), TOPIC (unique per run).
const { DaprServer, CommunicationProtocolEnum } = require("@dapr/dapr");
const { client, env, logger, run, step, waitUntil } = require("./lib/harness");

const pubsub = env("PUBSUB");
const topic = env("TOPIC");
const received = [];

run(async () => {
  // The app side speaks HTTP: the local sidecar does not call gRPC apps (--app-protocol grpc) yet.
  const server = new DaprServer({
    serverHost: "127.0.0.1",
    serverPort: env("APP_PORT"),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    clientOptions: { daprHost: "127.0.0.1", daprPort: env("DAPR_HTTP_PORT") },
    logger,
  });
  await server.pubsub.subscribe(pubsub, topic, async (data, headers) => {
    received.push({ data, type: headers?.["ce-type"] ?? null });
  });
  await server.start();

  const dapr = client();
  // The SDK's gRPC metadata.get() does not map subscriptions: ask over HTTP whichever protocol is under test.
  const metadata = client("http");
  await step("subscribed", () => waitUntil(async () =>
    (await metadata.metadata.get()).subscriptions.some((s) => s.topic === topic), 15000));
  await step("publishObject", () => dapr.pubsub.publish(pubsub, topic, { orderId: "o-1" }));
  await step("publishText", () => dapr.pubsub.publish(pubsub, topic, "hello"));
  await step("publishBulk", () => dapr.pubsub.publishBulk(pubsub, topic, [{ orderId: "b-1" }, { orderId: "b-2" }]));
  await step("publishUnknownPubSub", () => dapr.pubsub.publish("no-such-pubsub", topic, { orderId: "x" }));

  await step("delivered", () => waitUntil(() => received.length >= 4, 15000));
  // Delivery order is the broker's, not part of the contract: sort for a stable comparison.
  await step("received", () => received
    .map((r) => JSON.stringify(r.data))
    .sort());
  await server.stop();
});
