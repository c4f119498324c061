"use strict";
// A JS SDK app served over gRPC (DaprServer with CommunicationProtocolEnum.GRPC: AppCallback on APP_PORT) behind the
// local sidecar started with --app-protocol grpc: it subscribes to a topic and serves an invocation method; a DaprClient
// on the protocol under test publishes an event and invokes the app through the sidecar.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT, APP_PORT, APP_ID (the sidecar's), PUBSUB (a pub/sub component), TOPIC.
const { DaprServer, CommunicationProtocolEnum, HttpMethod } = require("@dapr/dapr");
const { client, env, logger, run, step, waitUntil, waitForSubscriptions } = require("./lib/harness");

const pubsub = env("PUBSUB");
const topic = env("TOPIC");
const received = [];

run(async () => {
  const server = new DaprServer({
    serverHost: "127.0.0.1",
    serverPort: env("APP_PORT"),
    communicationProtocol: CommunicationProtocolEnum.GRPC,
    clientOptions: { daprHost: "127.0.0.1", daprPort: env("DAPR_GRPC_PORT") },
    logger,
  });
  await server.pubsub.subscribe(pubsub, topic, async (data) => {
    received.push(data);
  });
  await server.invoker.listen("greet", async ({ body }) => ({ greeting: `hello ${JSON.parse(body).name}` }),
    { method: HttpMethod.POST });
  await server.start();

  const dapr = client();
  await step("subscribed", () => waitForSubscriptions([topic]));
  await step("publishObject", () => dapr.pubsub.publish(pubsub, topic, { orderId: "g-1" }));
  await step("publishText", () => dapr.pubsub.publish(pubsub, topic, "hello"));
  await step("delivered", () => waitUntil(() => received.length >= 2, 15000));
  // Delivery order is the broker's, not part of the contract: sort for a stable comparison.
  await step("received", () => received.map((data) => JSON.stringify(data)).sort());

  await step("invokeApp", () => dapr.invoker.invoke(env("APP_ID"), "greet", HttpMethod.POST, { name: "dee" }));
  // No server.stop(): the SDK's gRPC stop is http2 server.close(), which waits until the sidecar drops its AppCallback
  // connection; daprd keeps that connection open too, so it would wait for the sidecar's shutdown. run() exits instead.
});
