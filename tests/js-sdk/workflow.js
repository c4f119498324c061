"use strict";
// Workflows through the JS SDK over gRPC: a WorkflowRuntime (the worker) runs a workflow with an activity that waits
// for an event, and a DaprWorkflowClient schedules, reads, raises the event, terminates and purges instances.
// env: DAPR_GRPC_PORT (both the worker and the client are gRPC-only).
const { DaprWorkflowClient, WorkflowRuntime, WorkflowRuntimeStatus } = require("@dapr/dapr");
const { env, logger, run, step } = require("./lib/harness");

const options = { daprHost: "127.0.0.1", daprPort: env("DAPR_GRPC_PORT"), logger };
const suffix = process.pid.toString(36);

const greet = async (_ctx, name) => `hello ${name}`;

const approval = async function* (ctx, order) {
  const greeting = yield ctx.callActivity(greet, order);
  ctx.setCustomStatus("waiting for approval");
  const approver = yield ctx.waitForExternalEvent("approval");
  return `${greeting}, approved by ${approver}`;
};

const status = (state) => (state ? WorkflowRuntimeStatus[state.runtimeStatus] : null);
const summary = (state) => state && ({
  name: state.name,
  instanceId: state.instanceId,
  status: status(state),
  input: state.serializedInput ?? null,
  output: state.serializedOutput ?? null,
  customStatus: state.customStatus ?? null,
});

run(async () => {
  const runtime = new WorkflowRuntime(options)
    .registerWorkflowWithName("approval", approval)
    .registerActivityWithName("greet", greet);
  await runtime.start();
  const workflows = new DaprWorkflowClient(options);

  const id = `js-approve-${suffix}`;
  await step("schedule", () => workflows.scheduleNewWorkflow("approval", "order-7", id));
  await step("started", async () => summary(await workflows.waitForWorkflowStart(id, true, 20)));
  await step("waiting", async () => {
    for (let i = 0; i < 100; i++) {
      const state = await workflows.getWorkflowState(id, true);
      if (state?.customStatus) {
        return summary(state);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return "no custom status within 10s";
  });
  await step("raiseEvent", () => workflows.raiseEvent(id, "approval", "dee"));
  await step("completed", async () => summary(await workflows.waitForWorkflowCompletion(id, true, 20)));
  await step("purge", () => workflows.purgeWorkflow(id));
  await step("afterPurge", async () => summary(await workflows.getWorkflowState(id, true)) ?? null);

  const paused = `js-pause-${suffix}`;
  await step("scheduleToSuspend", () => workflows.scheduleNewWorkflow("approval", "order-8", paused));
  await workflows.waitForWorkflowStart(paused, false, 20);
  await step("suspend", () => workflows.suspendWorkflow(paused));
  await step("suspended", async () => status(await workflows.getWorkflowState(paused, false)));
  await step("resume", () => workflows.resumeWorkflow(paused));
  await step("resumed", async () => status(await workflows.getWorkflowState(paused, false)));
  await step("terminate", () => workflows.terminateWorkflow(paused, "stopped by test"));
  await step("terminated", async () => summary(await workflows.waitForWorkflowCompletion(paused, true, 20)));
  await step("purgeTerminated", () => workflows.purgeWorkflow(paused));

  await step("getUnknown", async () => summary(await workflows.getWorkflowState("no-such-instance", true)) ?? null);

  await workflows.stop();
  await runtime.stop();
});
