import { describe, expect, it } from "vitest";
import { Gate } from "../../src/core/gate";

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const turn = () => new Promise((r) => setTimeout(r, 0));

describe("Gate", () => {
  it("runs one piece of work at a time, in arrival order", async () => {
    const gate = new Gate(1);
    const events: string[] = [];
    const holds = [deferred(), deferred(), deferred()];
    const runs = holds.map((hold, i) =>
      gate.run(async (wait) => {
        events.push(`start ${i}${wait.waited ? " after waiting" : ""}`);
        await hold.promise;
        events.push(`end ${i}`);
        return i;
      }),
    );
    await turn();
    expect(events).toEqual(["start 0"]);
    expect([gate.inFlight, gate.queued]).toEqual([1, 2]);
    holds[2].resolve();
    holds[1].resolve();
    await turn();
    expect(events).toEqual(["start 0"]);
    holds[0].resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(events).toEqual(["start 0", "end 0", "start 1 after waiting", "end 1", "start 2 after waiting", "end 2"]);
    expect([gate.inFlight, gate.queued]).toEqual([0, 0]);
  });

  it("releases the slot when the work fails", async () => {
    const gate = new Gate(1);
    const failing = gate.run(async () => {
      throw new Error("boom");
    });
    const next = gate.run(async () => "ran");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("ran");
    expect(gate.inFlight).toBe(0);
  });

  it("lets as many run as it has slots", async () => {
    const gate = new Gate(2);
    const hold = deferred();
    let started = 0;
    const runs = [0, 1, 2].map(() =>
      gate.run(async () => {
        started++;
        await hold.promise;
      }),
    );
    await turn();
    expect([started, gate.inFlight, gate.queued]).toEqual([2, 2, 1]);
    hold.resolve();
    await Promise.all(runs);
    expect([started, gate.inFlight]).toEqual([3, 0]);
  });

  it("refuses a gate without slots", () => {
    expect(() => new Gate(0)).toThrow(RangeError);
    expect(() => new Gate(1.5)).toThrow(RangeError);
  });
});
