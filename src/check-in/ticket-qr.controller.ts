import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { TicketQrService } from './ticket-qr.service';

/** The QR code images of a booking's pages, one per ticket: same-site, so the CSP needs no `data:` images. */
@Controller()
export class TicketQrController {
  constructor(private readonly ticketQr: TicketQrService) {}

  @Get('booking/:reference/tickets/:code/qr.svg')
  async svg(
    @Param('reference') reference: string,
    @Param('code') code: string,
    @Query('secret') secret: unknown,
    @Res() res: Response,
  ) {
    const svg = await this.ticketQr.svg(reference, code, secret);
    res
      .set('Content-Type', 'image/svg+xml')
      .set('Cache-Control', 'private, max-age=3600')
      .send(svg);
  }
}
