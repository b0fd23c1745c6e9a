// newman ships no type declarations; this is the part of its Node API the Postman smoke test uses.
declare module "newman" {
  export interface NewmanRunOptions {
    collection: string | object;
    environment?: string | object;
    envVar?: Array<{ key: string; value: string }>;
    reporters?: string | string[];
    timeoutRequest?: number;
  }
  export interface NewmanRunFailure {
    error: { name: string; message: string; test?: string };
    source?: { name?: string };
  }
  export interface NewmanRunExecution {
    item: { name: string };
    request: { url: { toString(): string }; headers: { get(key: string): string | undefined } };
    response?: { code: number };
    assertions?: Array<{ assertion: string; error?: { message: string } }>;
  }
  export interface NewmanRunSummary {
    run: {
      stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
      failures: NewmanRunFailure[];
      executions: NewmanRunExecution[];
    };
  }
  export function run(options: NewmanRunOptions, callback: (error: Error | null, summary: NewmanRunSummary) => void): unknown;
  const newman: { run: typeof run };
  export default newman;
}
