/**
 * Lets at most `slots` pieces of work run at once; the rest wait in arrival order. A slot is
 * released when its work settles, resolved or rejected, and passes straight to the next waiter.
 */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slots: number) {
    if (!(Number.isInteger(slots) && slots >= 1)) throw new RangeError("a gate needs at least one slot");
  }

  /** Work running now. */
  get inFlight(): number {
    return this.running;
  }

  /** Work waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `work` once a slot is free, telling it whether it had to wait for one, and for how long. */
  async run<T>(work: (wait: { waited: boolean; ms: number }) => Promise<T>): Promise<T> {
    const start = Date.now();
    const waited = this.running >= this.slots;
    if (waited) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work({ waited, ms: Date.now() - start });
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
