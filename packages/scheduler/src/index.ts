export * from "./backfill.ts";
export * from "./checkpoint-key.ts";
export * from "./plan-tick.ts";
export * from "./resweep.ts";
