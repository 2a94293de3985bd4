import { ConfigFaultRecord, fetcherFaultKey } from "@xdr-relay/core";
import type { Pipeline } from "./pipeline.ts";

/** The record of the pipeline's sink (or other one-per-process role) under `key`. */
export function faultRecord(p: Pipeline, key: string): ConfigFaultRecord {
  return new ConfigFaultRecord(p.store, key, p.logger, () => p.clock.now());
}

/** Each tenant's fetcher fault record, made once per tenant. */
export function faultRecords(p: Pipeline): (tenant: string) => ConfigFaultRecord {
  const records = new Map<string, ConfigFaultRecord>();
  return (tenant) => {
    let record = records.get(tenant);
    if (record === undefined) {
      record = faultRecord(p, fetcherFaultKey(tenant));
      records.set(tenant, record);
    }
    return record;
  };
}
