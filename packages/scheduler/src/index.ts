export * from "./backfill.ts";
export * from "./checkpoint-key.ts";
export * from "./pass-start.ts";
export * from "./plan-pass.ts";
export * from "./plan-tick.ts";
export * from "./resweep.ts";
