import QRCode from 'qrcode';

/**
 * What a ticket's QR code opens: the event's check-in page with the booking reference filled in.
 * Scanned by the organiser's phone (logged in), it lands on the check-in form ready to confirm;
 * the reference alone checks in nobody without an organiser's session.
 */
export function checkInUrl(publicUrl: string, eventId: number, reference: string): string {
  return `${publicUrl}/organiser/events/${eventId}/check-in?reference=${encodeURIComponent(reference)}`;
}

/** The QR code as a PNG (for mail attachments). */
export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/** The QR code as an SVG document (for pages: an `<img>` of a same-site URL, no inline markup). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
