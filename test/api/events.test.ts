import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/core/webhooks/events";
import { purgeExpiredEvents, recordEvent } from "../../src/services/events";
import { call, env, expectProblem, newAccount } from "../helpers";
import { clockedQueue, createEndpoint, deliveriesOf, jobPayloads } from "../webhook-harness";

const DAY = 24 * 3600 * 1000;

describe("GET /api/v1/events", () => {
  it("lists the account's events newest first, filtered by type and paginated", async () => {
    const { key, accountId } = await newAccount();
    const q = clockedQueue();
    const a = await recordEvent(q.env, accountId, "job.status_changed", jobPayloads.statusChanged("job_1", "queued", "running"));
    const b = await recordEvent(q.env, accountId, "validation.completed", jobPayloads.validationCompleted("job_1"));
    const c = await recordEvent(q.env, accountId, "job.status_changed", jobPayloads.statusChanged("job_1", "running", "completed"));

    const all = (await (await call("/api/v1/events", { key })).json()) as any;
    expect(all.data.map((e: any) => e.id)).toEqual([c.id, b.id, a.id]);
    expect(all.has_more).toBe(false);
    expect(all.data[1]).toMatchObject({
      id: b.id,
      type: "validation.completed",
      version: 1,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { job_id: "job_1", counts: { records: 1200, valid: 1100, invalid: 100, corrected: 40, issues: { error: 130, warning: 55, info: 7 } } },
    });

    const statuses = (await (await call("/api/v1/events?type=job.status_changed&limit=1", { key })).json()) as any;
    expect(statuses.data.map((e: any) => e.id)).toEqual([c.id]);
    expect(statuses.has_more).toBe(true);
    const next = (await (await call(`/api/v1/events?type=job.status_changed&limit=1&starting_after=${c.id}`, { key })).json()) as any;
    expect(next.data.map((e: any) => e.id)).toEqual([a.id]);
    expect(next.has_more).toBe(false);

    const problem = await expectProblem(await call("/api/v1/events?type=job.exploded", { key }), 400);
    expect(problem.errors?.[0].parameter).toBe("type");
  });

  it("returns one event exactly as webhooks deliver it", async () => {
    const { key, accountId } = await newAccount();
    const q = clockedQueue();
    const { id } = await recordEvent(q.env, accountId, "validation.completed", jobPayloads.validationCompleted("job_7"));
    const res = await call(`/api/v1/events/${id}`, { key });
    expect(res.status).toBe(200);
    const event = (await res.json()) as any;
    expect(Object.keys(event)).toEqual(["id", "type", "version", "created_at", "data"]);
    expect(event.data.links.job).toBe("/api/v1/jobs/job_7");
    await expectProblem(await call("/api/v1/events/evt_missing", { key }), 404, "not-found");
  });

  it("keeps events 30 days, then purges them with their deliveries", async () => {
    const { key, accountId } = await newAccount();
    const endpoint = await createEndpoint(key, { url: "https://a.example.com/", events: ["*"] });
    const q = clockedQueue();
    const recordedAt = Date.now();
    const { id } = await recordEvent(q.env, accountId, "connector.synced", {
      connector_id: "con_1",
      provider: "shopee",
      direction: "import",
      status: "partial",
      job_id: null,
      counts: { fetched: 3, created: 1, updated: 0, unchanged: 1, failed: 1 },
      started_at: new Date(recordedAt).toISOString(),
      completed_at: new Date(recordedAt).toISOString(),
      error: null,
      links: { connector: "/api/v1/connectors/con_1" },
    }, { now: recordedAt });
    expect(await deliveriesOf(key, endpoint.id)).toHaveLength(1);

    await purgeExpiredEvents(env, recordedAt + 29 * DAY);
    expect((await call(`/api/v1/events/${id}`, { key })).status).toBe(200);
    expect(await purgeExpiredEvents(env, recordedAt + 30 * DAY + 1)).toBeGreaterThanOrEqual(1);
    await expectProblem(await call(`/api/v1/events/${id}`, { key }), 404);
    expect(await deliveriesOf(key, endpoint.id)).toHaveLength(0);
  });
});

describe("the OpenAPI document's webhooks section", () => {
  it("documents one signed POST per event type with its versioned payload schema", async () => {
    const doc = (await (await call("/api/v1/openapi.json")).json()) as any;
    expect(Object.keys(doc.webhooks).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) {
      const op = doc.webhooks[type].post;
      expect(op.summary, type).toBeTruthy();
      expect(op.operationId, type).toMatch(/Webhook$/);
      expect(op.parameters.map((p: any) => p.name).sort(), type).toEqual(["webhook-id", "webhook-signature", "webhook-timestamp"]);
      const ref = op.requestBody.content["application/json"].schema.$ref as string;
      const envelope = doc.components.schemas[ref.split("/").pop()!];
      expect(envelope.properties.type.enum, type).toEqual([type]);
      expect(envelope.required, type).toEqual(expect.arrayContaining(["id", "type", "version", "created_at", "data"]));
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["2XX", "410"]));
    }
    const counts = doc.components.schemas.JobCountsV1;
    expect(Object.keys(counts.properties)).toEqual(expect.arrayContaining(["records", "valid", "invalid", "corrected", "issues"]));
    expect(doc.components.schemas.JobStatusChangedV1.required).toEqual(expect.arrayContaining(["job_id", "previous_status", "status"]));
  });
});
