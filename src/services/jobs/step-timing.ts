/**
 * Wall-clock phases of one job step, logged as one JSON line (`msg: "job.step"`) so a run can be
 * profiled from the Worker's logs (bench/pipeline.ts sums them). A Worker's clock advances only
 * across I/O: a phase of pure computation is closed with `await tick()` first, or its time would
 * be counted in the next phase.
 */
export class StepTiming {
  private last = Date.now();
  private readonly started = this.last;
  private readonly phases: Record<string, number> = {};

  constructor(private readonly fields: Record<string, unknown>) {}

  /** Ends the current phase under `name` (phases with the same name add up). */
  mark(name: string): void {
    const now = Date.now();
    this.phases[name] = (this.phases[name] ?? 0) + (now - this.last);
    this.last = now;
  }

  /** Computation just ended: lets the clock catch up, then ends the phase. */
  async tickAndMark(name: string): Promise<void> {
    await tick();
    this.mark(name);
  }

  log(extra: Record<string, unknown> = {}): void {
    console.log(JSON.stringify({ level: "info", msg: "job.step", ...this.fields, ...extra, total_ms: Date.now() - this.started, phases_ms: this.phases }));
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
