export * from "./hunting/index.ts";
export * from "./ingestion/index.ts";
