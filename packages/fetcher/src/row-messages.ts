import { type HuntingRow, type OutgoingMessage, RowIdentities, type RowMessage, sameKeys } from "@xdr-relay/core";
import { maxFieldBytes, truncateFields } from "./field-truncation.ts";
import { fitRowMessage, messageOverheadBytes, standInMessageId } from "./oversize-row.ts";

/** Service Bus Basic/Standard's message limit, for callers that do not say. */
export const defaultMaxMessageBytes = 256 * 1024;

export interface RowMessageArgs {
  readonly tenant: string;
  readonly query: string;
  readonly stream: string;
  readonly window: string;
  readonly maxMessageBytes?: number | undefined;
  /** The result's columns (its `schema`): a row that lacks one gets it as null (see `EveryColumn`). */
  readonly columns?: readonly string[] | undefined;
}

/**
 * One queue message per result row; the row's identity is its message id (duplicate detection).
 * A result may be turned into messages a chunk at a time: identical rows are numbered across
 * chunks (see `RowIdentities`), so feed every row of the result, in order. Ids come from the rows
 * as fetched, before any field is cut, so cutting never makes two different rows one.
 * Fields over 64 KB are cut and flagged (`truncateFields`); a row still too big for one message
 * goes as a `tooLarge` stand-in (`fitRowMessage`).
 */
export class RowMessageBuilder {
  private readonly identities: RowIdentities;
  private readonly maxMessageBytes: number;
  /** Characters of a message's JSON besides its row's. */
  private readonly envelopeChars: number;
  private readonly everyColumn: EveryColumn;

  constructor(private readonly args: RowMessageArgs) {
    this.identities = new RowIdentities(args.tenant, args.query);
    this.everyColumn = new EveryColumn(args.columns ?? []);
    this.maxMessageBytes = args.maxMessageBytes ?? defaultMaxMessageBytes;
    this.envelopeChars = JSON.stringify(this.body("0".repeat(32), {})).length - "{}".length;
  }

  /** Messages for the next rows of the result, and how many of them are stand-ins. */
  build(rows: readonly HuntingRow[]): { messages: OutgoingMessage[]; tooLarge: number } {
    let tooLarge = 0;
    const messages = rows.map((fetched): OutgoingMessage => {
      const { rowId, canonicalLength: fetchedLength } = this.identities.next(fetched);
      // After the id: the id is the row's as fetched, so rows already sent keep theirs.
      const { row, addedChars } = this.everyColumn.of(fetched);
      const canonicalLength = fetchedLength + addedChars;
      // The row's JSON is as long as its canonical form (same members, other order): when that
      // bounds every field under 64 KB and the message under the limit even at 3 bytes a
      // character, nothing can be cut and the message fits, with no need to serialise it here.
      const fast =
        canonicalLength * 3 <= maxFieldBytes &&
        (this.envelopeChars + canonicalLength) * 3 + messageOverheadBytes <= this.maxMessageBytes;
      if (fast) return { messageId: rowId, body: this.body(rowId, row) };
      const fitted = fitRowMessage(this.body(rowId, truncateFields(row)), this.maxMessageBytes);
      if (!fitted.tooLarge) return { messageId: rowId, body: fitted };
      tooLarge++;
      return { messageId: standInMessageId(rowId), body: fitted };
    });
    return { messages, tooLarge };
  }

  private body(rowId: string, row: HuntingRow): RowMessage {
    const { tenant, query, stream, window } = this.args;
    return { version: 1, tenant, query, stream, window, rowId, attempt: 0, row };
  }
}

/**
 * Gives a row every column of its result, a missing one as null, and says how many characters that
 * adds to its JSON. Why: the sink maps hunting columns to table columns by the names a row carries,
 * and where two names land on one table column (`Title` beside `AlertTitle`) which one keeps the
 * name depends on both being there; a row that lacked one would send the other's value to another
 * column than the rows that have both. With every column on every row, every row of a query maps
 * alike. What is missing is worked out once per column list, as `CanonicalRows` does: checking each
 * column of each row cost ~70 ms a 100,000-row window, for rows that nearly always have them all.
 */
export class EveryColumn {
  private keys: readonly string[] = [];
  private missing: readonly string[] = [];
  private addedChars = 0;

  constructor(private readonly columns: readonly string[]) {}

  of(row: HuntingRow): { row: HuntingRow; addedChars: number } {
    const keys = Object.keys(row);
    if (!sameKeys(keys, this.keys)) {
      const present = new Set(keys);
      this.keys = keys;
      this.missing = this.columns.filter((c) => !present.has(c));
      this.addedChars = this.missing.reduce((n, c) => n + JSON.stringify(c).length + ":null,".length, 0);
    }
    if (this.missing.length === 0) return { row, addedChars: 0 };
    const full: Record<string, unknown> = { ...row };
    for (const column of this.missing) full[column] = null;
    return { row: full, addedChars: this.addedChars };
  }
}

/** The messages of a whole result at once (see `RowMessageBuilder`). */
export function rowMessages(args: RowMessageArgs & { rows: readonly HuntingRow[] }): OutgoingMessage[] {
  return new RowMessageBuilder(args).build(args.rows).messages;
}
