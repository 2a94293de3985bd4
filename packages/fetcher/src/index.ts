export * from "./credentials.ts";
export * from "./graph-hunting-client.ts";
export * from "./hunting-response.ts";
export * from "./probe-schema.ts";
export * from "./row-messages.ts";
export * from "./window-handler.ts";
