/**
 * A small SQL lexer: enough of PostgreSQL's lexical rules to find words, `:name` parameters and
 * parentheses outside string literals, quoted identifiers and comments. Parameter binding and
 * the Redshift dialect translation both work on its tokens, so neither ever rewrites text that
 * sits inside a literal.
 */

export type SqlTokenKind =
  'word' | 'quoted' | 'string' | 'number' | 'param' | 'space' | 'comment' | 'punct';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const SPACE = /\s/;

export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: SqlTokenKind, end: number): void => {
    tokens.push({ kind, text: sql.slice(i, end) });
    i = end;
  };
  while (i < n) {
    const c = sql.charAt(i);
    const next = sql.charAt(i + 1);
    if (SPACE.test(c)) {
      let j = i + 1;
      while (j < n && SPACE.test(sql.charAt(j))) j++;
      push('space', j);
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      push('comment', nl === -1 ? n : nl);
    } else if (c === '/' && next === '*') {
      push('comment', endOfBlockComment(sql, i));
    } else if (c === "'") {
      push('string', endOfQuoted(sql, i + 1, "'", false));
    } else if ((c === 'E' || c === 'e') && next === "'") {
      push('string', endOfQuoted(sql, i + 2, "'", true));
    } else if (c === '"') {
      push('quoted', endOfQuoted(sql, i + 1, '"', false));
    } else if (c === '$' && (next === '$' || WORD_START.test(next))) {
      const tagEnd = sql.indexOf('$', i + 1);
      const tag = tagEnd === -1 ? '' : sql.slice(i, tagEnd + 1);
      if (tag !== '' && /^\$[A-Za-z_0-9]*\$$/.test(tag)) {
        const close = sql.indexOf(tag, tagEnd + 1);
        push('string', close === -1 ? n : close + tag.length);
      } else {
        push('punct', i + 1);
      }
    } else if (c === ':' && next === ':') {
      push('punct', i + 2);
    } else if (c === ':' && WORD_START.test(next)) {
      let j = i + 2;
      while (j < n && /[A-Za-z0-9_]/.test(sql.charAt(j))) j++;
      push('param', j);
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql.charAt(j))) j++;
      push('word', j);
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(next))) {
      let j = i + 1;
      while (j < n && /[0-9.eE]/.test(sql.charAt(j))) j++;
      push('number', j);
    } else {
      push('punct', i + 1);
    }
  }
  return tokens;
}

function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

function endOfQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql.charAt(i + 1) === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** Joins tokens back into SQL text. */
export function untokenize(tokens: readonly SqlToken[]): string {
  return tokens.map((t) => t.text).join('');
}

/** True for tokens that carry no meaning (whitespace, comments). */
export function isBlank(token: SqlToken | undefined): boolean {
  return token !== undefined && (token.kind === 'space' || token.kind === 'comment');
}

/** The upper-cased text of a word token, or undefined for other tokens. */
export function keyword(token: SqlToken | undefined): string | undefined {
  return token?.kind === 'word' ? token.text.toUpperCase() : undefined;
}
