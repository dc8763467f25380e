import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { qrSvg } from '../common/qr-svg';
import { checkInUrl, qrPng } from './ticket-qr';

describe('ticket QR codes', () => {
  it('point at the event check-in page with the reference, escaped', () => {
    expect(checkInUrl('https://tickets.example.org', 7, 'AB12CD')).toBe(
      'https://tickets.example.org/organiser/events/7/check-in?reference=AB12CD',
    );
    expect(checkInUrl('http://localhost:3000', 1, 'a&b')).toBe(
      'http://localhost:3000/organiser/events/1/check-in?reference=a%26b',
    );
  });

  it('render as a PNG image and as an SVG document', async () => {
    const png = qrPng('https://tickets.example.org/x');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    // The same picture qrcode's public (streaming) API draws.
    const streamed = await QRCode.toBuffer('https://tickets.example.org/x', {
      errorCorrectionLevel: 'M',
      margin: 2,
      width: 240,
    });
    const pixels = (image: Buffer) => PNG.sync.read(image);
    expect(pixels(png).width).toBe(240);
    expect(pixels(png).data.equals(pixels(streamed).data)).toBe(true);
    const svg = await qrSvg('https://tickets.example.org/x');
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  });
});
