import { config } from "../config";
import type { Env } from "../env";

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text; links are written out in full. */
  text: string;
}

/**
 * Sends the emails Vitrine writes (sign-in links, security notices). To deliver real mail in
 * production, implement this interface with your provider (an HTTP API such as Cloudflare Email
 * Service, Amazon SES, Postmark or Resend, called with `fetch` and a key kept as a Worker secret)
 * and return it from `mailSender` below; docs/dashboard.md walks through it.
 */
export interface MailSender {
  send(message: MailMessage): Promise<void>;
}

/**
 * Development: writes each message, links included, to the log (and the dashboard shows links on
 * the page). Production without a configured sender: logs that a message could not be delivered,
 * never its contents, because a sign-in link in a log would open the account to whoever reads it.
 */
export function logMailSender(production: boolean): MailSender {
  return {
    async send(message) {
      if (production) {
        console.warn(JSON.stringify({ level: "warn", msg: "mail.not_delivered", reason: "no mail sender configured", subject: message.subject }));
        return;
      }
      console.log(JSON.stringify({ level: "info", msg: "mail", to: message.to, subject: message.subject, text: message.text }));
    },
  };
}

/** The sender this deployment uses. */
export function mailSender(env: Env): MailSender {
  return logMailSender(config(env).production);
}
