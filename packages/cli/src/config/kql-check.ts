import { createRequire } from "node:module";
import { type KqlPosition, positionAt, windowedQuery } from "@xdr-relay/core";

/** A syntax error in a query, where an editor would show it. */
export interface KqlSyntaxError extends KqlPosition {
  readonly message: string;
}

// The slice of Microsoft's parser this file uses. The package is a Bridge.NET bundle that defines
// `Kusto` on the global object rather than exporting it, so its own typings (global declarations)
// are not imported.
interface KustoDiagnostic {
  readonly Start: number;
  readonly Message: string;
  readonly Severity: string;
}
interface KustoLanguage {
  KustoCode: {
    Parse(text: string): { GetDiagnostics(): { readonly Count: number; getItem(i: number): KustoDiagnostic } };
  };
}

let language: KustoLanguage | undefined;

/**
 * Loads the parser on first use: about half a second, plus a second or so warming up on the first
 * query, so a configuration without queries of its own never pays for it.
 */
function kusto(): KustoLanguage {
  if (language) return language;
  const require = createRequire(import.meta.url);
  // Order matters: the runtime first, then the language, which registers itself on the runtime.
  require("@kusto/language-service-next/bridge.js");
  require("@kusto/language-service-next/Kusto.Language.Bridge.js");
  const loaded = (globalThis as { Kusto?: { Language?: KustoLanguage } }).Kusto?.Language;
  if (!loaded) throw new Error("@kusto/language-service-next loaded but defined no Kusto.Language");
  language = loaded;
  return loaded;
}

/**
 * The syntax errors in a query, first first. Syntax only: the parser knows no table schemas here,
 * so an unknown table or column is left for the hunting API to refuse (`BadQuery`).
 */
export function kqlSyntaxErrors(kql: string): KqlSyntaxError[] {
  const diagnostics = kusto().KustoCode.Parse(kql).GetDiagnostics();
  const errors: KqlSyntaxError[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    if (d.Severity === "Error") errors.push({ message: d.Message, ...positionAt(kql, d.Start) });
  }
  return errors;
}

/**
 * One line per syntax error in the configured queries, naming the setting and the position, in
 * the shape of the schema's own problems. Built-in queries are checked by the tests instead.
 */
export function querySyntaxProblems(queries: Readonly<Record<string, { readonly kql: string }>>): string[] {
  return Object.entries(queries).flatMap(([name, query]) => {
    const errors = kqlSyntaxErrors(query.kql);
    if (errors.length > 0) {
      return errors.map((e) => `  - queries.${name}.kql: line ${e.line}, column ${e.column}: ${e.message}`);
    }
    const windowed = windowedQueryProblem(query.kql);
    return windowed ? [`  - queries.${name}.kql: ${windowed}`] : [];
  });
}

/**
 * What goes wrong once the window's filter follows the query, as it does in every call: a query
 * that parses alone (`… | project A;`, a trailing `let` statement) may not take a `| where` after
 * it, and would then fail on every window as `BadQuery`.
 */
function windowedQueryProblem(kql: string): string | undefined {
  const [first] = kqlSyntaxErrors(windowedQuery(kql, { startMs: 0, endMs: 1 }));
  if (!first) return undefined;
  return (
    `valid alone, but not followed by the window's "| where Timestamp …" filter, as every call sends it (${first.message}); ` +
    "end the query with a tabular expression, without a trailing ';'"
  );
}
