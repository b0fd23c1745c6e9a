import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Serves an in-test fake (a function from Request to Response) over plain HTTP on a free local
 * port, so `wrangler dev` can reach it. The first path segment names the fake's part (`/auth/…`,
 * `/api/…`); `answer` gets the part and the request with the rest of the path, plus the raw body.
 */
export async function serveFakeParts(answer: (part: string, request: Request, body: Buffer) => Response | Promise<Response>) {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const incoming = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, part, ...rest] = incoming.pathname.split("/");
    const url = new URL(`/${rest.join("/")}${incoming.search}`, "http://127.0.0.1");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(url, { method: req.method, headers, body: chunks.length && req.method !== "GET" ? body : undefined });
    const response = await answer(part, request, body);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
