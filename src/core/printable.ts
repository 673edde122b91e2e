// Untrusted text made safe to print in a message: control characters escaped (no terminal escapes, no extra lines), length bounded.

/** Untrusted text for a message: at most 200 characters, control characters escaped. */
export function printable(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}… (${text.length} characters)` : escaped;
}
