/**
 * Placeholder tokens for the anonymiser's passes. Environment: any.
 *
 * Each pass replaces what it matched with an opaque token made only of private-use code points, so a later pass can
 * never re-match a replacement (a pseudonym address, `~`, `[REDACTED-KEY]`); `restore` swaps the tokens for the real
 * replacement text at the end. Private-use code points already in the input are neutralised first.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const DIGIT0 = 0xe010;

export class TokenStore {
  private readonly values: string[] = [];

  /** Remove code points the token syntax uses, so input can never forge a token. */
  static sanitize(text: string): string {
    return text.replace(/[\uE000-\uE01F]/g, '\uFFFD');
  }

  put(replacement: string): string {
    const idx = this.values.length;
    this.values.push(replacement);
    const digits = String(idx)
      .split('')
      .map((d) => String.fromCharCode(DIGIT0 + Number(d)))
      .join('');
    return OPEN + digits + CLOSE;
  }

  restore(text: string): string {
    return text.replace(/\uE000([\uE010-\uE019]+)\uE001/g, (_m, digits: string) => {
      const idx = Number([...digits].map((c) => String(c.charCodeAt(0) - DIGIT0)).join(''));
      return this.values[idx] ?? '';
    });
  }
}
