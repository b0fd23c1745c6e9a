/**
 * CPU time of one dashboard sign-in: PBKDF2-SHA256 at today's parameters (src/services/passwords.ts)
 * through WebCrypto, the same call the Worker makes. Measured in Node with process.cpuUsage, since
 * in-Worker timers do not show CPU time; workerd and Node both run BoringSSL/OpenSSL's PBKDF2.
 */
import { hashPassword, PASSWORD_HASHING, verifyPassword } from "../src/services/passwords";

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function runLoginBench(runs = 20): Promise<void> {
  const password = "uma senha bem comprida";
  const stored = await hashPassword(password);
  await verifyPassword(password, stored); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    const check = await verifyPassword(password, stored);
    samples.push(cpuMs(start));
    if (!check.ok) throw new Error("verification failed");
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(`\nlogin: PBKDF2-SHA256, ${PASSWORD_HASHING.iterations.toLocaleString("en")} iterations, ${runs} verifications`);
  console.log(`  CPU per sign-in: median ${median.toFixed(1)} ms, min ${samples[0].toFixed(1)} ms, max ${samples[samples.length - 1].toFixed(1)} ms`);
  console.log(`  Workers Free allows 10 ms of CPU per request; Workers Paid 30 s by default: sign-in needs the Paid plan.`);
}
