import { runInDurableObject } from "cloudflare:test";
import { vi } from "vitest";
import type { Env } from "../src/env";
import { coordinator } from "../src/services/jobs/jobs";

/**
 * Runs a job's coordinator alarm as if `advanceMs` had passed (a fake clock in this isolate,
 * where the object runs too), sending what it re-enqueues to `queue`. `env` must hold the real
 * coordinator namespace (runInDurableObject needs its own stubs).
 */
export async function runCoordinatorAlarm(env: Env, jobId: string, advanceMs: number, queue: Queue) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + advanceMs });
  try {
    const stub = coordinator(env, jobId) as DurableObjectStub;
    await runInDurableObject(stub, async (object: unknown, state: DurableObjectState) => {
      // The object's own bindings (protected `env`), with the queues swapped for one alarm.
      const instance = object as { env: Env; alarm(): Promise<void> };
      const real = instance.env;
      instance.env = { ...real, JOBS_QUEUE: queue, JOBS_PRIORITY_QUEUE: queue };
      try {
        await instance.alarm();
      } finally {
        instance.env = real;
        await state.storage.deleteAlarm();
      }
    });
  } finally {
    vi.useRealTimers();
  }
}
