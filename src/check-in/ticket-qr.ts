import { PNG } from 'pngjs';
import QRCode, { type QRCodeToBufferOptions } from 'qrcode';

/**
 * What a ticket's QR code opens: the event's check-in page with the ticket's code filled in.
 * Scanned by the organiser's phone (logged in), it lands on the check-in form ready to confirm;
 * the code alone checks in nobody without an organiser's session.
 */
export function checkInUrl(publicUrl: string, eventId: number, ticketCode: string): string {
  return `${publicUrl}/organiser/events/${eventId}/check-in?reference=${encodeURIComponent(ticketCode)}`;
}

const PNG_OPTIONS: QRCodeToBufferOptions = { errorCorrectionLevel: 'M', margin: 2, width: 240 };

// qrcode's own PNG renderer, which its public toBuffer() drives as a stream: see qrPng.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pngRenderer = require('qrcode/lib/renderer/png') as {
  render(qr: QRCode.QRCode, options: QRCodeToBufferOptions): PNG;
};

/**
 * The QR code as a PNG (for mail attachments), in one synchronous step of about a millisecond.
 * QRCode.toBuffer() tries every PNG row filter on every row (five times the work) and streams
 * the result through zlib in many small steps: under load each code took ~400 ms and held up
 * the requests around it. A QR code's rows repeat a module's height at a time, so the "up"
 * filter alone compresses it about as well.
 */
export function qrPng(text: string): Buffer {
  const image = pngRenderer.render(QRCode.create(text, PNG_OPTIONS), PNG_OPTIONS);
  return PNG.sync.write(image, { filterType: 2 });
}
