/**
 * A local webhook receiver for the soak: verifies each delivery's Standard Webhooks signature with
 * the `standardwebhooks` library (independent of the Worker's signing code) and counts event ids,
 * so duplicates and losses show. Answers 204 to a verified delivery and 401 to any other.
 */
import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";

export interface WebhookReceiver {
  /** Deliveries seen per event id (webhook-id). */
  readonly seen: Map<string, number>;
  readonly badSignatures: number;
  /** The endpoint's signing secret, known once the endpoint is created. */
  setSecret(secret: string): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(port: number): Promise<WebhookReceiver> {
  const seen = new Map<string, number>();
  let verifier: Webhook | undefined;
  let badSignatures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, String(req.headers[h] ?? "")]));
      try {
        if (!verifier) throw new Error("no secret yet");
        verifier.verify(Buffer.concat(chunks), headers);
      } catch {
        badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const id = headers["webhook-id"];
      seen.set(id, (seen.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return {
    seen,
    get badSignatures() {
      return badSignatures;
    },
    setSecret(secret) {
      verifier = new Webhook(secret);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
