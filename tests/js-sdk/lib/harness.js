"use strict";
// Shared by every script here: the DaprClient each script drives, one record per SDK call, and a hard deadline.
// The xunit tests in tests/Sidecar.Tests/JsSdk run a script as `node <script> http|grpc` with the sidecar's ports in
// DAPR_HTTP_PORT / DAPR_GRPC_PORT and read the last stdout line, `RESULT {json}`: one entry per call, its value or
// {"error": "..."} so a failing call is named in the test's message instead of ending the script.
const { DaprClient, CommunicationProtocolEnum, LogLevel } = require("@dapr/dapr");

const protocol = process.argv[2];
if (protocol !== "http" && protocol !== "grpc") {
  console.error(`usage: node ${process.argv[1]} http|grpc (got '${protocol}')`);
  process.exit(2);
}

/** An environment variable the test must set; a missing one ends the script with its name. */
function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const logger = { level: LogLevel.Error };

/** A DaprClient on the protocol of argv[2], pointed at the test's sidecar. */
function client(overrideProtocol) {
  const grpc = (overrideProtocol ?? protocol) === "grpc";
  return new DaprClient({
    daprHost: "127.0.0.1",
    daprPort: grpc ? env("DAPR_GRPC_PORT") : env("DAPR_HTTP_PORT"),
    communicationProtocol: grpc ? CommunicationProtocolEnum.GRPC : CommunicationProtocolEnum.HTTP,
    logger,
  });
}

const results = {};

/**
 * Runs one SDK call and records what it returned (undefined as null) or the error it threw. Some HTTP calls (state
 * save and delete, publish) return `{ error }` instead of throwing: that is recorded as the error it is.
 */
async function step(name, call) {
  try {
    const value = await call();
    if (value && typeof value === "object" && value.error !== undefined) {
      throw value.error;
    }
    results[name] = value === undefined ? null : value;
    return value;
  } catch (e) {
    results[name] = { error: describe(e) };
    return undefined;
  }
}

function describe(e) {
  if (e instanceof Error) {
    return `${e.constructor.name}: ${e.message}`;
  }
  return typeof e === "string" ? e : JSON.stringify(e);
}

/** Runs the script's body with a deadline (TIMEOUT_SECONDS, default 60), then prints the results and exits. */
function run(body) {
  const seconds = Number(process.env.TIMEOUT_SECONDS ?? "60");
  setTimeout(() => {
    console.error(`timed out after ${seconds}s; results so far: ${JSON.stringify(results)}`);
    process.exit(3);
  }, seconds * 1000).unref();
  body()
    .then(() => {
      process.stdout.write(`RESULT ${JSON.stringify(results)}\n`, () => process.exit(0));
    })
    .catch((e) => {
      console.error(`script failed: ${describe(e)}\n${e?.stack ?? ""}\nresults so far: ${JSON.stringify(results)}`);
      process.exit(1);
    });
}

/** Polls until <paramref name="condition"/> holds or the time runs out; true when it held. */
async function waitUntil(condition, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Polls the sidecar's metadata until it lists subscriptions to every one of <paramref name="topics"/>; true when it
 * did. Asked over HTTP whichever protocol is under test: the SDK's gRPC metadata.get() does not map subscriptions.
 */
async function waitForSubscriptions(topics, timeoutMs = 15000) {
  const metadata = client("http");
  return waitUntil(async () => {
    // daprd leaves "subscriptions" out (omitempty) until the app's are loaded.
    const listed = ((await metadata.metadata.get()).subscriptions ?? []).map((s) => s.topic);
    return topics.every((t) => listed.includes(t));
  }, timeoutMs);
}

module.exports = { protocol, env, logger, client, step, run, waitUntil, waitForSubscriptions, results };
