import { describe, expect, it } from "vitest";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { call, expectProblem, newAccount, uploadFile, waitForJob } from "../helpers";

// Every message a person reads is rendered in the reader's language when the response is made,
// whoever wrote it and whenever it was stored.
const PT = { "accept-language": "pt-BR" };

describe("messages in the reader's language", () => {
  it("a schema violation names each field's problem in Portuguese", async () => {
    const res = await call("/api/v1/signup", { method: "POST", headers: PT, json: { email: "não-é-email", name: "" } });
    const problem = await expectProblem(res, 400, "invalid-request");
    expect(problem.title).toBe("Requisição inválida");
    expect(problem.detail).toBe("A requisição tem campos inválidos; veja errors.");
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { pointer: "/email", detail: "Formato inválido: endereço de e-mail" },
        { pointer: "/name", detail: "Texto curto demais: no mínimo 1 caractere" },
      ]),
    );
  });

  it("a rule pack that is not valid YAML is refused in Portuguese, with its line", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/rule-packs", { method: "POST", key, headers: { ...PT, "content-type": "application/yaml" }, body: "id: quebrado\nrules: [\n  - id: x\n" });
    const problem = await expectProblem(res, 422, "invalid-rule-pack");
    expect(problem.title).toBe("Pacote de regras inválido");
    expect(problem.detail).toMatch(/^Pacote de regras inválido: erro de sintaxe YAML/);
    expect(problem.errors?.[0].detail).toMatch(/^erro de sintaxe YAML/);
    expect((problem.errors?.[0] as { line?: number }).line).toEqual(expect.any(Number));
  });

  it("a mapping that does not compile is refused in Portuguese, problem by problem", async () => {
    const { key } = await newAccount();
    const mapping = { name: "m", marketplace: "mercadolivre", fields: [{ target: "preco", source: "Preço" }, { target: "price", source: "Preço", transforms: [{ op: "numero" }] }] };
    const problem = await expectProblem(await call("/api/v1/mappings", { method: "POST", key, headers: PT, json: mapping }), 422, "invalid-mapping");
    expect(problem.detail).toMatch(/^O mapeamento tem 2 problemas/);
    expect(problem.errors?.map((e) => e.detail)).toEqual([
      expect.stringMatching(/^campo de destino "preco" desconhecido/),
      expect.stringMatching(/^transformação "numero" desconhecida \(quis dizer "number"\?\)/),
    ]);
  });

  it("a failed job's error reads in the reader's language, and so does the event that tells of it; webhooks speak the language the job was started in", async () => {
    const { key } = await newAccount();
    const receiver = await fakeReceiver();
    expect((await call("/api/v1/webhooks", { method: "POST", key, json: { url: receiver.url, events: ["job.status_changed"] } })).status).toBe(201);
    const mapping = await (
      await call("/api/v1/mappings", { method: "POST", key, json: { name: "m", marketplace: "common", fields: [{ target: "sku", source: "Código" }] } })
    ).json<any>();
    const file = await uploadFile(key, "SKU;Nome\r\n1;Caneca\r\n", "c.csv");
    const created = await (await call("/api/v1/jobs", { method: "POST", key, headers: PT, json: { source: { file_id: file.id }, mapping_id: mapping.id } })).json<any>();
    const failed = await waitForJob(key, created.id);
    expect(failed.status).toBe("failed");

    const inPortuguese = await (await call(`/api/v1/jobs/${created.id}`, { key, headers: PT })).json<any>();
    const inEnglish = await (await call(`/api/v1/jobs/${created.id}`, { key, headers: { "accept-language": "en" } })).json<any>();
    expect(inPortuguese.error.code).toBe("mapping.missing_columns");
    expect(inPortuguese.error.message).toMatch(/^O arquivo não tem a coluna "Código"/);
    expect(inEnglish.error.message).toMatch(/^The file has no column "Código"/);

    const events = await (await call("/api/v1/events?type=job.status_changed&limit=100", { key, headers: PT })).json<any>();
    const failure = events.data.find((e: any) => e.data.job_id === created.id && e.data.status === "failed");
    expect(failure.data.error).toEqual({ code: "mapping.missing_columns", message: inPortuguese.error.message });
    const english = await (await call(`/api/v1/events/${failure.id}`, { key })).json<any>();
    expect(english.data.error.message).toBe(inEnglish.error.message);

    // The job was started with Accept-Language: pt-BR, so its webhooks are in Portuguese.
    let delivered: any;
    for (let i = 0; i < 50 && !delivered; i++) {
      delivered = (await receiver.requests()).map((r) => JSON.parse(r.body)).find((e) => e.id === failure.id);
      if (!delivered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(delivered.data.error.message).toBe(inPortuguese.error.message);
  });
});
