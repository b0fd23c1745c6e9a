import type { JobPlan } from "../../src/core/jobs/types";
import type { Env } from "../../src/env";

/**
 * The coordinator namespace, with every plan registered as cut into `partitions` uniqueness
 * partitions: small test jobs then take the finalize step's per-partition path.
 */
export function partitioned(namespace: Env["JOB_COORDINATOR"], partitions: number): Env["JOB_COORDINATOR"] {
  return new Proxy(namespace, {
    get(target, property) {
      if (property !== "get") return Reflect.get(target, property).bind(target);
      return (id: DurableObjectId) => {
        const stub = target.get(id);
        return new Proxy(stub, {
          // An RPC stub's methods are callable properties, bound to it already.
          get: (s, name) => (name === "planned" ? (plan: JobPlan) => s.planned({ ...plan, uniquePartitions: partitions }) : Reflect.get(s, name)),
        });
      };
    },
  });
}
