// Cutting text to an X3 field's length without breaking a character.

const characters = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest start of `text` within `max` UTF-16 units that ends between
 * two characters: never inside a surrogate pair, never between a letter
 * and its combining accent.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { segment, index } of characters.segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  if (end > 0) return text.slice(0, end);
  // One character longer than the field (a pile of accents): cut it
  // between code points rather than leave nothing.
  for (const point of text) {
    if (end + point.length > max) break;
    end += point.length;
  }
  return text.slice(0, end);
}
