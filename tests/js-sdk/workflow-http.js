"use strict";
// The workflow management API through DaprClient's `workflow` (daprd's /v1.0-beta1/workflows HTTP API; over gRPC the
// SDK throws GRPCNotSupportedError for every call, recorded as such). A WorkflowRuntime (gRPC) is the worker.
// Inputs are objects: the HTTP client sends a string as text/plain, which daprd passes on as the raw (non-JSON) input.
// env: DAPR_HTTP_PORT, DAPR_GRPC_PORT.
const { WorkflowRuntime } = require("@dapr/dapr");
const { client, env, logger, protocol, run, step } = require("./lib/harness");

const suffix = `${protocol}-${process.pid.toString(36)}`;

const approval = async function* (ctx, order) {
  const approver = yield ctx.waitForExternalEvent("approval");
  return `${order.id} approved by ${approver.name}`;
};

const waitForStatus = async (dapr, id, wanted) => {
  for (let i = 0; i < 100; i++) {
    const state = await dapr.workflow.getWorkflowState(id);
    if (state.runtimeStatus === wanted) {
      return { instanceID: state.instanceID, workflowName: state.workflowName, runtimeStatus: state.runtimeStatus, properties: state.properties };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return `not ${wanted} within 10s`;
};

run(async () => {
  const runtime = new WorkflowRuntime({ daprHost: "127.0.0.1", daprPort: env("DAPR_GRPC_PORT"), logger })
    .registerWorkflowWithName("approval", approval);
  await runtime.start();
  const dapr = client();

  const id = `js-http-${suffix}`;
  await step("start", () => dapr.workflow.scheduleNewWorkflow("approval", { id: "order-9" }, id));
  await step("running", () => waitForStatus(dapr, id, "RUNNING"));
  await step("pause", () => dapr.workflow.pause(id));
  await step("suspended", () => waitForStatus(dapr, id, "SUSPENDED"));
  await step("resume", () => dapr.workflow.resume(id));
  await step("resumed", () => waitForStatus(dapr, id, "RUNNING"));
  await step("raiseEvent", () => dapr.workflow.raiseEvent(id, "approval", { name: "dee" }));
  await step("completed", () => waitForStatus(dapr, id, "COMPLETED"));
  await step("purge", () => dapr.workflow.purge(id));
  await step("afterPurge", () => dapr.workflow.getWorkflowState(id));

  const terminated = `js-http-term-${suffix}`;
  await step("startToTerminate", () => dapr.workflow.scheduleNewWorkflow("approval", { id: "order-10" }, terminated));
  await step("runningToTerminate", () => waitForStatus(dapr, terminated, "RUNNING"));
  await step("terminate", () => dapr.workflow.terminate(terminated));
  await step("terminated", () => waitForStatus(dapr, terminated, "TERMINATED"));

  await runtime.stop();
});
