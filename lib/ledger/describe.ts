// X3 keeps 30 characters of an entry or line description (DESVCR, DES).

export const DESCRIPTION_LENGTH = 30;

export function clip(text: string, length = DESCRIPTION_LENGTH): string {
  return text.length <= length ? text : text.slice(0, length).trimEnd();
}

/** Enough of a Square id for a person to find the record. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** A refund id is `<payment id>_<suffix>`; the suffix tells refunds apart. */
export function shortRefundId(id: string): string {
  const cut = id.lastIndexOf('_');
  return shortId(cut >= 0 && cut < id.length - 1 ? id.slice(cut + 1) : id);
}
