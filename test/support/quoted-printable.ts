/** Undoes quoted-printable (soft line breaks, =XX as UTF-8), so a mail's text reads as written. */
export const decodeQuotedPrintable = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/(=[0-9A-F]{2})+/g, (bytes) =>
      Buffer.from(bytes.replace(/=/g, ''), 'hex').toString('utf8'),
    );
