/**
 * Shortens `text` to at most `maxChars` characters, saying how much was cut. Used for the
 * callback's `error` and `cause`, whose limits Step Functions enforces.
 */
export function trimText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const marker = (cut: number) => `... [${cut} characters trimmed]`;
  let keep = Math.max(0, maxChars - marker(text.length).length);
  keep = Math.max(0, maxChars - marker(text.length - keep).length);
  const result = `${text.slice(0, keep)}${marker(text.length - keep)}`;
  return result.length <= maxChars ? result : text.slice(0, maxChars);
}
