import type { RowMessage } from "@xdr-relay/core";
import { RowMessageBuilder } from "@xdr-relay/fetcher";
import { toRecord } from "@xdr-relay/sink";
import { describe, expect, it } from "vitest";

// Fetcher and sink together: which table column a hunting value lands in must not depend on which
// other columns its row happens to carry.
describe("a result whose rows lack some of its columns", () => {
  it("lands every row's Title in one table column, whether or not the row has AlertTitle", () => {
    const builder = new RowMessageBuilder({
      tenant: "contoso",
      query: "alert-info",
      stream: "Custom-XdrAlertInfo",
      window: "w",
      columns: ["Timestamp", "AlertId", "Title", "AlertTitle"],
    });
    const rows = [
      { Timestamp: "2026-11-26T10:01:00Z", AlertId: "a1", Title: "first", AlertTitle: "own" },
      { Timestamp: "2026-11-26T10:02:00Z", AlertId: "a2", Title: "second" },
    ];
    const records = builder.build(rows).messages.map((m) => toRecord(m.body as RowMessage));
    const titleColumn = (record: Record<string, unknown>, title: string) => Object.keys(record).find((k) => record[k] === title);
    expect(titleColumn(records[0] as Record<string, unknown>, "first")).toBe(
      titleColumn(records[1] as Record<string, unknown>, "second"),
    );
    expect(records[1]).toMatchObject({ AlertTitle: null });
  });
});
