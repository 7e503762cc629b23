/** Test helpers that read the report's HTML by its stable classes and data attributes. */

/** The part of the page between `<section id="ID"` and its `</section>`. */
export function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  if (start < 0) throw new Error(`no section ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** `{state name: outcome}` of the graph's state nodes, in document order. */
export function graphOutcomes(html: string): Record<string, string> {
  const graph = section(html, 'graph');
  const out: Record<string, string> = {};
  for (const m of graph.matchAll(
    /<g class="state [^"]*" data-state="([^"]*)" data-outcome="([^"]*)">/g,
  )) {
    out[m[1]!] = m[2]!;
  }
  return out;
}

export function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

/** The cells' text of each `<tr>` of a table body, tags stripped. */
export function tableRows(html: string, tableClass: string): string[][] {
  const start = html.indexOf(`<table class="${tableClass}">`);
  if (start < 0) throw new Error(`no table ${tableClass}`);
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '')),
  );
}
