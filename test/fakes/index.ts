import { feedServer } from "./feed.js";
import { googleSheets } from "./google-sheets.js";
import { mercadoLivre } from "./mercadolivre.js";
import { outboundRouter } from "./router.js";
import { shopee } from "./shopee.js";
import { stripe } from "./stripe.js";
import { webhookReceivers } from "./webhook-receiver.js";

/** Every fake outside host the worker tests can reach; add a module per host family. */
export const outbound = outboundRouter([webhookReceivers, mercadoLivre, shopee, googleSheets, feedServer, stripe]);
