import { exactIntegers } from "./exact-integers.ts";

const quote = 0x22;
const backslash = 0x5c;
const comma = 0x2c;
const colon = 0x3a;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const byteOrderMark = new Uint8Array([0xef, 0xbb, 0xbf]);

/** Rows are parsed in batches of about this many bytes: big enough for JSON.parse to run at full speed. */
const defaultBatchBytes = 1 << 20;

/**
 * Splits a hunting response body, chunk by chunk as it arrives, into its `results` rows and the
 * rest (the envelope: `schema`, `@odata.context`, `Stats`, ... with `results` left as `[]`).
 *
 * Why not `JSON.parse(await response.text())`: that holds the received chunks, their
 * concatenation, the decoded text and the parsed result at once (about 3-4 times the body), and
 * parses only after the last byte. Here rows are parsed a batch at a time while the rest of the
 * body is still arriving, and each batch's bytes are dropped once parsed.
 *
 * It tracks only what it must to cut safely: strings (a bracket or comma inside one is text),
 * nesting depth, and the top-level object's keys. The JSON itself is checked by JSON.parse: each
 * batch is parsed as `[rows]`, the envelope as a whole, so a malformed or cut-off body throws.
 * Cuts fall on ASCII commas, so a multi-byte UTF-8 character is never split.
 */
export class ResultsSplitter {
  readonly rows: unknown[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  private rootIsObject: boolean | undefined;
  /** At depth 1: the next string is a member name. */
  private expectKey = false;
  /** Raw bytes of the top-level member name being read, escapes included. */
  private key: number[] | undefined;
  private lastKey = "";
  /** At depth 1, between a member's `:` and the first byte of its value. */
  private awaitingValue = false;
  private inRows = false;
  private rowsSeen = false;
  private cuts = 0;
  private readonly envelope: Uint8Array[] = [];
  private batch: Uint8Array[] = [];
  private batchSize = 0;
  /** Leading bytes matched against a byte order mark; its length once decided. */
  private bomMatched = 0;

  /** `batchBytes`: for tests, which cut tiny bodies into many batches. */
  constructor(private readonly batchBytes = defaultBatchBytes) {}

  push(input: Uint8Array): void {
    const chunk = this.bomMatched < byteOrderMark.length ? this.skipByteOrderMark(input) : input;
    let start = 0; // where the bytes not yet handed to the envelope or a batch begin
    let i = 0;
    while (i < chunk.length) {
      if (!this.inRows) {
        i = this.scanEnvelope(chunk, i);
        if (!this.inRows) break;
        this.envelope.push(chunk.subarray(start, i)); // up to and including the `[` of results
        start = i;
        continue;
      }
      i = this.scanRows(chunk, i, start + this.batchBytes - this.batchSize);
      if (i === chunk.length) break;
      this.addToBatch(chunk.subarray(start, i));
      if (chunk[i] === comma) {
        this.parseBatch(false);
        start = ++i;
      } else {
        this.parseBatch(true); // the results array closed; its bracket goes to the envelope
        this.inRows = false;
        start = i++;
      }
    }
    const rest = chunk.subarray(start);
    if (this.inRows) this.addToBatch(rest);
    else this.envelope.push(rest);
  }

  /**
   * The hot loop, over the rows: only strings, depth and the commas between rows matter here.
   * Stops at the end of the chunk, at the bracket closing the results array, or at the first comma
   * between rows at or after `cutFrom` (a batch is due).
   */
  private scanRows(chunk: Uint8Array, from: number, cutFrom: number): number {
    let { depth, inString, escaped } = this;
    const n = chunk.length;
    let i = from;
    for (; i < n; i++) {
      let c = chunk[i] as number;
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        // Most of a body is string content, skipped in this tighter loop.
        while (c !== quote && c !== backslash && ++i < n) c = chunk[i] as number;
        if (i === n) break;
        if (c === backslash) escaped = true;
        else inString = false;
      } else if (c === quote) inString = true;
      else if (c === openBrace || c === openBracket) depth++;
      else if (c === closeBrace || c === closeBracket) {
        if (--depth === 1) break;
      } else if (c === comma && depth === 2 && i >= cutFrom) break;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return i;
  }

  /**
   * Everything but the rows: follows the top-level object's member names to find `results`.
   * Stops at the end of the chunk or just after the `[` that opens the results array.
   */
  private scanEnvelope(chunk: Uint8Array, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (this.inString) {
        if (this.key !== undefined) this.readKey(b, this.escaped);
        if (this.escaped) this.escaped = false;
        else if (b === backslash) this.escaped = true;
        else if (b === quote) this.inString = false;
      } else if (b === quote) {
        this.inString = true;
        if (this.depth === 1 && this.expectKey) {
          this.key = [b];
          this.expectKey = false;
        }
        this.awaitingValue = false;
      } else if (b === openBrace || b === openBracket) {
        if (this.depth === 0) this.rootIsObject ??= b === openBrace;
        if (this.depth === 0 && b === openBrace) this.expectKey = true;
        const opensRows = this.depth === 1 && this.awaitingValue && b === openBracket && this.lastKey.toLowerCase() === "results";
        this.awaitingValue = false;
        this.depth++;
        if (opensRows) {
          if (this.rowsSeen) throw new SyntaxError("the response has two results members");
          this.inRows = true;
          this.rowsSeen = true;
          return i + 1;
        }
      } else if (b === closeBrace || b === closeBracket) {
        this.depth--;
      } else if (b === comma) {
        if (this.depth === 1 && this.rootIsObject) this.expectKey = true;
      } else if (b === colon) {
        if (this.depth === 1) this.awaitingValue = true;
      } else if (this.depth === 1 && b > 0x20) {
        this.awaitingValue = false; // a number, true, false or null
      }
    }
    return chunk.length;
  }

  /** The body without its rows, parsed, with `results` (as the body spelt it) set to the rows. */
  end(): unknown {
    if (this.inRows || this.inString || this.depth !== 0) throw new SyntaxError("the response body ends early");
    const envelope: unknown = JSON.parse(Buffer.concat(this.envelope).toString("utf8"));
    if (!this.rowsSeen || typeof envelope !== "object" || envelope === null) return envelope;
    const obj = envelope as Record<string, unknown>;
    const name = Object.keys(obj).find((k) => k.toLowerCase() === "results") as string;
    obj[name] = this.rows;
    return obj;
  }

  /** Drops a UTF-8 byte order mark, as `response.text()` would, even one cut across chunks. */
  private skipByteOrderMark(chunk: Uint8Array): Uint8Array {
    let i = 0;
    while (this.bomMatched < byteOrderMark.length && i < chunk.length && chunk[i] === byteOrderMark[this.bomMatched]) {
      this.bomMatched++;
      i++;
    }
    if (this.bomMatched === byteOrderMark.length || i === chunk.length) return chunk.subarray(i);
    // Not a byte order mark after all: hand back the bytes taken for one.
    const taken = byteOrderMark.subarray(0, this.bomMatched);
    this.bomMatched = byteOrderMark.length;
    return Buffer.concat([taken, chunk.subarray(i)]);
  }

  /** One byte of a top-level member name; at its closing quote, the name is decoded (escapes too). */
  private readKey(b: number, escaped: boolean): void {
    const key = this.key as number[];
    key.push(b);
    if (escaped || b !== quote) return;
    this.key = undefined;
    this.lastKey = JSON.parse(Buffer.from(key).toString("utf8")) as string;
  }

  private addToBatch(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // A view, not a copy: a stream hands each chunk over for good, and the batch is parsed (and
    // its chunks let go) within about a megabyte.
    this.batch.push(bytes);
    this.batchSize += bytes.length;
  }

  /** Parses the rows gathered since the last cut; `last` when the results array just closed. */
  private parseBatch(last: boolean): void {
    const text = Buffer.concat(this.batch).toString("utf8");
    this.batch = [];
    this.batchSize = 0;
    // A cut is made only on a comma between rows, so every batch but a lone empty one holds rows:
    // `[,` `,,` or `,]` around a cut would otherwise slip through as `[]`.
    if (text.trim() === "") {
      if (last && this.cuts === 0) return;
      throw new SyntaxError("an empty member in results");
    }
    if (!last) this.cuts++;
    const rows = JSON.parse(`[${exactIntegers(text)}]`) as unknown[];
    for (const row of rows) this.rows.push(row);
  }
}
