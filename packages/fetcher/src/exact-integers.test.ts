import { describe, expect, it } from "vitest";
import { exactIntegers } from "./exact-integers.ts";
import { ResultsSplitter } from "./results-splitter.ts";

const parsed = (text: string) => JSON.parse(exactIntegers(text)) as unknown;

describe("exactIntegers", () => {
  it("keeps every digit of an Int64 beyond 2^53, which JSON.parse alone rounds", () => {
    const text = '[{"ReportId":9007199254740993,"Hash":-5764607523034234881,"FileSize":9223372036854775807}]';
    expect(JSON.parse(text)[0].ReportId).toBe(9007199254740992); // what the relay landed before
    expect(parsed(text)).toEqual([
      { ReportId: "9007199254740993", Hash: "-5764607523034234881", FileSize: "9223372036854775807" },
    ]);
  });

  it("leaves safe integers, doubles and exponents as numbers, and strings untouched", () => {
    const text =
      '[{"Safe":9007199254740991,"Small":-42,"Big":1.7976931348623157e308,"Long":1234567890123.5,' +
      '"Digits":"12345678901234567890","Escaped":"a\\"12345678901234567890","Nested":[{"x":123456789012345678901}]}]';
    expect(parsed(text)).toEqual([
      {
        Safe: 9007199254740991,
        Small: -42,
        Big: 1.7976931348623157e308,
        Long: 1234567890123.5,
        Digits: "12345678901234567890",
        Escaped: 'a"12345678901234567890',
        Nested: [{ x: "123456789012345678901" }],
      },
    ]);
  });

  it("returns text without a long run of digits as it is, without a copy", () => {
    const text = '[{"a":1,"b":"x"}]';
    expect(exactIntegers(text)).toBe(text);
  });

  it("is applied to the rows of a hunting response, so two rows differing past 2^53 stay two", () => {
    const body =
      '{"schema":[{"name":"ReportId","type":"Int64"}],"results":[{"ReportId":9007199254740993},{"ReportId":9007199254740992}]}';
    const splitter = new ResultsSplitter();
    splitter.push(Buffer.from(body));
    expect(splitter.end()).toMatchObject({ results: [{ ReportId: "9007199254740993" }, { ReportId: "9007199254740992" }] });
  });
});

describe("exactIntegers in strings", () => {
  it.each([
    ['["\\\\",12345678901234567890]', ["\\", "12345678901234567890"]],
    ['["\\\\\\"12345678901234567890",1]', ['\\"12345678901234567890', 1]],
    ['["\\"",12345678901234567890,"12345678901234567890"]', ['"', "12345678901234567890", "12345678901234567890"]],
  ])("tells an escaped quote from a closing one after backslashes: %s", (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });
});
