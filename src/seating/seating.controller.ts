import {
  Controller,
  Get,
  NotFoundException,
  Post,
  Render,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { FormPage, FormView } from '../common/forms/form-page';
import { FieldErrors, FormBody, FormValues } from '../common/forms/form.pipe';
import { IdParam } from '../common/http/id-param.decorator';
import { flash } from '../common/views/flash';
import {
  NewSectionForm,
  RenameForm,
  SeatChangeForm,
  SectionRemovalForm,
} from './dto/seating.forms';
import {
  withoutSection,
  withRowRenamed,
  withSeatRenamed,
  withSeatsChanged,
  withSection,
} from './map-edits';
import { MapInput } from './map-plan';
import { seatDrawing, seatPaint, zoneColours } from './seat-drawing';
import { SeatingService } from './seating.service';

/**
 * The organiser's seat map editor of one event: the map drawn as it is sold on the next date,
 * each section summed up, and one form per change (add a section of rows × seats, change some
 * seats' ticket type or availability, rename a row or a seat, remove a section). Each change is applied
 * to the map as stored and saved whole, as the API's PUT does, with its refusals shown here.
 */
@Controller('organiser/events/:id/seating')
@UseGuards(LoggedInGuard)
export class SeatingController {
  constructor(private readonly seating: SeatingService) {}

  @Get()
  @Render('seating/editor')
  page(@CurrentUser() user: SessionUser, @IdParam() id: number) {
    return this.view(user, id, {}, {});
  }

  /**
   * The map on the next date as a picture for the dashboard (loaded as an image, only when
   * scrolled to): each seat in its zone's colour, filled in when sold, half when held.
   */
  @Get('map.svg')
  async filledInMap(@CurrentUser() user: SessionUser, @IdParam() id: number, @Res() res: Response) {
    const { event, sections } = await this.seating.onDate(user, id);
    const colours = zoneColours(event.ticketTypes.filter((type) => type.seated));
    const drawing = seatDrawing(sections, (ticketTypeId) => colours.get(ticketTypeId));
    if (!drawing) throw new NotFoundException('This event has no seat map.');
    res
      .type('image/svg+xml')
      .set('Cache-Control', 'private, no-cache')
      .render('seating/filled-map', {
        layout: false,
        drawing,
        seats: drawing.seats.map(({ x, y, status, zone }) => ({
          x,
          y,
          paint: seatPaint(status, zone),
        })),
      });
  }

  @Post('sections')
  @FormPage('seating/editor', 'pageAgain')
  async addSection(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(NewSectionForm) form: NewSectionForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.save(user, id, req, res, `“${form.name}” added.`, (map) =>
      withSection(map, form.toNewSection()),
    );
  }

  @Post('seats')
  @FormPage('seating/editor', 'pageAgain')
  async changeSeats(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(SeatChangeForm) form: SeatChangeForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.save(user, id, req, res, 'Seats changed.', (map) =>
      withSeatsChanged(map, form.toSelection(), form.toChange()),
    );
  }

  @Post('rename')
  @FormPage('seating/editor', 'pageAgain')
  async rename(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(RenameForm) form: RenameForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { section, row, seat, label } = form;
    const done = seat
      ? `Seat ${seat} of row ${row} is now seat ${label}.`
      : `Row ${row} is now row ${label}.`;
    return this.save(user, id, req, res, done, (map) =>
      seat
        ? withSeatRenamed(map, section, row, seat, label)
        : withRowRenamed(map, section, row, label),
    );
  }

  @Post('sections/remove')
  @FormPage('seating/editor', 'pageAgain')
  async removeSection(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @FormBody(SectionRemovalForm) form: SectionRemovalForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.save(user, id, req, res, `“${form.section}” removed.`, (map) =>
      withoutSection(map, form.section),
    );
  }

  pageAgain: FormView = (values, errors, req) =>
    this.view(req.user!, Number(req.params.id), values, errors);

  private async save(
    user: SessionUser,
    id: number,
    req: Request,
    res: Response,
    done: string,
    change: (map: MapInput) => MapInput,
  ) {
    await this.seating.edit(user, id, change);
    flash(req, 'success', done);
    return res.redirect(303, `/organiser/events/${id}/seating`);
  }

  private async view(user: SessionUser, eventId: number, values: FormValues, errors: FieldErrors) {
    const { event, map, onSale } = await this.seating.forEditor(user, eventId);
    const colours = zoneColours(event.ticketTypes.filter((type) => type.seated));
    const seats = map.sections.flatMap((section) => section.rows.flatMap((row) => row.seats));
    return {
      title: `Seat map of ${event.title}`,
      event,
      drawing: seatDrawing(onSale, (ticketTypeId) => colours.get(ticketTypeId)),
      ticketTypes: event.ticketTypes.map((type) => ({
        ...type,
        colour: colours.get(type.id),
        seats: seats.filter((seat) => seat.ticketTypeId === type.id && !seat.unavailable).length,
      })),
      unavailable: seats.filter((seat) => seat.unavailable).length,
      sections: map.sections.map((section) => ({
        name: section.name,
        rows: section.rows.length,
        firstRow: section.rows[0]?.label,
        lastRow: section.rows[section.rows.length - 1]?.label,
        seats: section.rows.reduce((sum, row) => sum + row.seats.length, 0),
      })),
      seatCount: seats.length,
      values,
      errors,
      // Refusals of the map as a whole (a path of it, or a booked seat) have no field of their own.
      mapErrors: Object.entries(errors)
        .filter(([field]) => field.startsWith('sections'))
        .map(([, message]) => message),
    };
  }
}
