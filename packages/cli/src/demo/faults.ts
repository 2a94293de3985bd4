import type { DemoWorld } from "./demo-world.ts";

/**
 * A few of the faults large tenants meet every day, injected so the demo shows them handled:
 * a 500 and a 429 from the hunting API, a result-size 400 (the window is split), and on the
 * ingestion side a 429 without `Retry-After` (the SDK does not retry it; we do) and a 503.
 */
export function injectDemoFaults(world: DemoWorld): string {
  world.hunting.faults.push(
    { status: 500 },
    { status: 429, retryAfterSeconds: 1 },
    { status: 400, message: "Query execution has exceeded the allowed result size. Please reduce the result size and retry." },
  );
  world.ingestion.faults.push({ status: 429 }, { status: 503 });
  return "hunting 500, 429, result-size 400; ingestion 429 without Retry-After, 503";
}
