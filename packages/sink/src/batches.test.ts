import { describe, expect, it } from "vitest";
import { cutBatches, type Sized } from "./batches.ts";

/** Items sized as their JSON, the way the sink sizes records. */
const sized = (items: readonly string[]): Sized<string>[] => items.map((item) => ({ item, bytes: JSON.stringify(item).length }));
const letters = (n: number, width = 8) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i).repeat(width));

describe("cutBatches", () => {
  it("cuts at maxItems, keeping order", () => {
    expect(cutBatches(sized(letters(5, 1)), 2, 1_000)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  // Each item is 10 bytes of JSON ("aaaaaaaa" with its quotes); n of them make an array of 11n + 1 bytes.
  it.each([
    ["the brackets and the commas between items", 35, [3, 2]],
    ["a limit one byte short of three items", 33, [2, 2, 1]],
  ])("counts %s against maxBytes", (_, maxBytes, lengths) => {
    const batches = cutBatches(sized(letters(5)), 100, maxBytes);
    expect(batches.map((b) => b.length)).toEqual(lengths);
    for (const batch of batches) expect(JSON.stringify(batch).length).toBeLessThanOrEqual(maxBytes);
  });

  it("gives an item over maxBytes a batch of its own, and keeps every item in order", () => {
    const items = ["a", "x".repeat(50), "b", "c", "y".repeat(60), "d"];
    const batches = cutBatches(sized(items), 100, 12);
    expect(batches).toEqual([["a"], ["x".repeat(50)], ["b", "c"], ["y".repeat(60)], ["d"]]);
    expect(batches.flat()).toEqual(items);
  });

  it("gives no batch for no items", () => {
    expect(cutBatches([], 10, 100)).toEqual([]);
  });
});
