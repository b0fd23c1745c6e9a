import type { Env } from "../../src/env";
import { env } from "../helpers";

/**
 * An Env whose shared resources count what is asked of them: D1 statements (by SQL verb, batches
 * included), Durable Object calls ("BINDING.method"), R2 and queue methods. The tests beside it
 * count what units of work cost; docs/scaling.md multiplies these counts by traffic.
 */

export interface Counts {
  d1: string[];
  /** The same statements' SQL, in the same order. */
  d1Sql: string[];
  durableObjects: string[];
  r2: string[];
  queues: string[];
}

/** The first SQL keyword: select, insert, update, delete, … */
const verb = (sql: string) => sql.trimStart().split(/\s/, 1)[0].toLowerCase();

/** Wraps a D1 statement so running it (alone or in a batch) records its SQL. */
function countingStatement(statement: D1PreparedStatement, sql: string, counts: Counts, inner: WeakMap<object, { statement: D1PreparedStatement; sql: string }>): D1PreparedStatement {
  const wrapper = new Proxy(statement, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => countingStatement(target.bind(...args), sql, counts, inner);
      if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
        return (...args: unknown[]) => {
          counts.d1.push(verb(sql));
          counts.d1Sql.push(sql);
          return Reflect.apply(value, target, args);
        };
      }
      return value.bind(target);
    },
  });
  inner.set(wrapper, { statement, sql });
  return wrapper;
}

function countingDatabase(db: D1Database, counts: Counts): D1Database {
  const inner = new WeakMap<object, { statement: D1PreparedStatement; sql: string }>();
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => countingStatement(target.prepare(sql), sql, counts, inner);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          const unwrapped = statements.map((s) => {
            const known = inner.get(s);
            counts.d1.push(known ? verb(known.sql) : "(unknown)");
            counts.d1Sql.push(known?.sql ?? "");
            return known?.statement ?? s;
          });
          return target.batch(unwrapped);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Counts every method called on the stubs a namespace hands out, as "BINDING.method". */
function countingNamespace<N extends object>(name: string, namespace: N, counts: Counts): N {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop !== "get") return typeof value === "function" ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const stub = Reflect.apply(value as (...a: unknown[]) => DurableObjectStub, target, args);
        return new Proxy(stub, {
          get(s, method) {
            const member = Reflect.get(s, method, s);
            if (typeof member !== "function" || typeof method !== "string") return member;
            return (...callArgs: unknown[]) => {
              counts.durableObjects.push(`${name}.${method}`);
              return Reflect.apply(member, s, callArgs);
            };
          },
        });
      };
    },
  });
}

function countingMethods<T extends object>(name: string, binding: T, list: string[]): T {
  return new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function" || typeof prop !== "string") return value;
      return (...args: unknown[]) => {
        list.push(`${name}.${prop}`);
        return Reflect.apply(value, target, args);
      };
    },
  });
}

export function emptyCounts(): Counts {
  return { d1: [], d1Sql: [], durableObjects: [], r2: [], queues: [] };
}

/** A queue that keeps what is sent instead of delivering it, so a test runs each step itself. */
export function capturingQueue(name: string, counts: Counts, sent: unknown[]): Queue {
  return {
    async send(body: unknown) {
      counts.queues.push(`${name}.send`);
      sent.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      counts.queues.push(`${name}.sendBatch`);
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue;
}

/** With `jobMessages`, job-queue messages are kept there (capturingQueue) rather than delivered. */
export function countingEnv(counts: Counts, options: { jobMessages?: unknown[] } = {}): Env {
  const base = env as unknown as Env;
  return {
    ...base,
    DB: countingDatabase(base.DB, counts),
    RATE_LIMITER: countingNamespace("RATE_LIMITER", base.RATE_LIMITER, counts),
    JOB_COORDINATOR: countingNamespace("JOB_COORDINATOR", base.JOB_COORDINATOR, counts),
    CONNECTOR_GATE: countingNamespace("CONNECTOR_GATE", base.CONNECTOR_GATE, counts),
    FILES: countingMethods("FILES", base.FILES, counts.r2),
    JOBS_QUEUE: options.jobMessages ? capturingQueue("JOBS_QUEUE", counts, options.jobMessages) : countingMethods("JOBS_QUEUE", base.JOBS_QUEUE, counts.queues),
    JOBS_PRIORITY_QUEUE: options.jobMessages
      ? capturingQueue("JOBS_PRIORITY_QUEUE", counts, options.jobMessages)
      : countingMethods("JOBS_PRIORITY_QUEUE", base.JOBS_PRIORITY_QUEUE, counts.queues),
    WEBHOOKS_QUEUE: countingMethods("WEBHOOKS_QUEUE", base.WEBHOOKS_QUEUE, counts.queues),
  };
}

