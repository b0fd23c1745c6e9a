import { evictDurableObject } from "cloudflare:test";

/**
 * Faults injected around the Worker's bindings, never inside production code: each wrapper
 * forwards to the real binding until its fault fires. A `Fault` fires on the matching calls it is
 * told to (the n-th, or the first `times`), and counts how often it did.
 */
export class Fault {
  fired = 0;
  private seen = 0;

  constructor(
    /** Fire on matching calls number `from` … `from + times - 1` (1-based). */
    private readonly times: number,
    private readonly from = 1,
  ) {}

  /** Call once per matching call: whether this one fails. */
  hit(): boolean {
    this.seen++;
    const fires = this.seen >= this.from && this.seen < this.from + this.times;
    if (fires) this.fired++;
    return fires;
  }
}

export class InjectedFault extends Error {}

/** An R2 bucket whose `put` of a matching key throws while the fault fires. */
export function failingPuts(bucket: R2Bucket, match: (key: string) => boolean, fault: Fault, message = "injected fault: R2 put failed"): R2Bucket {
  return new Proxy(bucket, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "put") {
        return async (...args: Parameters<R2Bucket["put"]>) => {
          if (match(args[0]) && fault.hit()) throw new InjectedFault(message);
          return target.put(...args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * A D1 database whose statements matching `match` (their SQL) throw while the fault fires, run
 * alone or in a batch (a batch holding one fails whole, as D1's batches are transactions).
 */
export function failingStatements(db: D1Database, match: (sql: string) => boolean, fault: Fault, message = "injected fault: D1_ERROR: write failed"): D1Database {
  const sqlOf = new WeakMap<object, { statement: D1PreparedStatement; sql: string }>();
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const wrapper = new Proxy(statement, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args), sql);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return async (...args: unknown[]) => {
            if (match(sql) && fault.hit()) throw new InjectedFault(message);
            return Reflect.apply(value, target, args);
          };
        }
        return value.bind(target);
      },
    });
    sqlOf.set(wrapper, { statement, sql });
    return wrapper;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          const known = statements.map((s) => sqlOf.get(s));
          if (known.some((k) => k && match(k.sql)) && fault.hit()) throw new InjectedFault(message);
          return target.batch(statements.map((s, i) => known[i]?.statement ?? s));
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** What happens to one call of a Durable Object method when its fault fires. */
export type ObjectReset =
  /** The object is reset before the call reaches it: nothing is applied, the caller gets an error. */
  | "before"
  /** The call is applied and stored, then the object is reset before it answers: the reply is lost. */
  | "after";

/**
 * A Durable Object namespace whose objects are reset (evicted: in-memory state dropped, storage
 * kept, as when Cloudflare restarts an object) around calls of `method` while the fault fires;
 * the caller sees the error a reset object gives its in-flight calls.
 */
export function resettingObjects<N extends DurableObjectNamespace>(namespace: N, method: string, when: ObjectReset, fault: Fault, match: (args: unknown[]) => boolean = () => true): N {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop !== "get") return typeof value === "function" ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const stub = Reflect.apply(value as (...a: unknown[]) => DurableObjectStub, target, args);
        return new Proxy(stub, {
          get(s, name) {
            const member = Reflect.get(s, name, s);
            if (name !== method || typeof member !== "function") return member;
            return async (...callArgs: unknown[]) => {
              if (!match(callArgs) || !fault.hit()) return Reflect.apply(member, s, callArgs);
              if (when === "after") await Reflect.apply(member, s, callArgs);
              await evictDurableObject(s);
              throw new InjectedFault("injected fault: Durable Object reset; the call's reply was lost");
            };
          },
        });
      };
    },
  });
}

/**
 * An R2 bucket in an invocation that is killed after `allowed` writes of a chunk's outputs: the
 * writes before it land, the ones after it never finish (the isolate is gone, nothing answers).
 */
export function dyingAfterPuts(bucket: R2Bucket, match: (key: string) => boolean, allowed: number, onKill: () => void): R2Bucket {
  let writes = 0;
  return new Proxy(bucket, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "put") {
        return (...args: Parameters<R2Bucket["put"]>) => {
          if (!match(args[0])) return target.put(...args);
          if (writes++ < allowed) return target.put(...args);
          onKill();
          return new Promise<never>(() => {});
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The moment a consumer's isolate dies: from then on none of its calls reaches anything. */
export class Kill {
  dead = false;
}

const killed = () => new InjectedFault("injected fault: the consumer was killed mid-chunk");

/** Every method of the binding throws once the consumer is dead. */
function mortal<T extends object>(binding: T, kill: Kill): T {
  return new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (kill.dead) throw killed();
        return Reflect.apply(value, target, args);
      };
    },
  });
}

/**
 * The bindings of a consumer that is killed right after `method` of the job's coordinator
 * answers (its effect is stored): every later D1, R2, Durable Object and queue call fails.
 */
export function killedAfterCall<E extends { DB: D1Database; FILES: R2Bucket; JOB_COORDINATOR: DurableObjectNamespace; JOBS_QUEUE: Queue; JOBS_PRIORITY_QUEUE: Queue }>(
  bindings: E,
  method: string,
  kill: Kill,
): E {
  const namespace = new Proxy(bindings.JOB_COORDINATOR, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop !== "get") return typeof value === "function" ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const stub = Reflect.apply(value as (...a: unknown[]) => DurableObjectStub, target, args);
        return new Proxy(stub, {
          get(s, name) {
            const member = Reflect.get(s, name, s);
            if (typeof member !== "function") return member;
            return async (...callArgs: unknown[]) => {
              if (kill.dead) throw killed();
              const result = await Reflect.apply(member, s, callArgs);
              if (name === method) kill.dead = true;
              return result;
            };
          },
        });
      };
    },
  });
  return {
    ...bindings,
    DB: failingStatements(bindings.DB, () => kill.dead, new Fault(Infinity), "injected fault: the consumer was killed mid-chunk"),
    FILES: mortal(bindings.FILES, kill),
    JOB_COORDINATOR: namespace,
    JOBS_QUEUE: mortal(bindings.JOBS_QUEUE, kill),
    JOBS_PRIORITY_QUEUE: mortal(bindings.JOBS_PRIORITY_QUEUE, kill),
  };
}
