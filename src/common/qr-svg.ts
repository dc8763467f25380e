import QRCode from 'qrcode';

/** A QR code as an SVG document: no style attributes, so it may be inlined under the site's CSP. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
