import { createSampleFile } from "../../services/samples";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses } from "../schemas";
import { FileObject } from "./models/file";

export class CreateSampleFile extends ApiRoute {
  schema = {
    operationId: "createSampleFile",
    tags: ["Files"],
    summary: "Add Vitrine's sample catalog to the account, to try a job without a file of your own",
    description:
      "Stores `catalogo-exemplo.csv` as a new file of the account: 40 phones, shoes and small appliances as a Brazilian seller's " +
      "spreadsheet has them (Windows-1252, `;`, decimal commas) with the usual defects — long titles, missing brand or model, " +
      "bad GTINs, SEM GTIN, few or http pictures, a formula-looking cell. Its columns map without a mapping: start a job on it " +
      "with `rule_pack: mercadolivre` and `options.apply_fixes: true` to see issues, fixes and the corrected file.",
    responses: {
      "201": {
        ...jsonResponse("The stored file", FileObject),
        headers: { Location: { description: "The file's URL", schema: { type: "string" as const } } },
      },
      ...problemResponses(...AUTHED, 409, 422),
    },
  };

  async handle(c: AppContext) {
    const file = await createSampleFile(c.env, caller(c).accountId);
    return c.json(file, 201, { Location: `/api/v1/files/${file.id}` });
  }
}

export function mountSamples(api: Api) {
  mount(api, "post", "/files/sample", CreateSampleFile, { idempotent: true });
}
