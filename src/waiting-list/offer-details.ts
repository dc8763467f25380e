/** A waiting-list offer, as its mail tells it. */
export interface OfferDetails {
  eventId: number;
  /** The date the tickets are for (`eventStartsAt` is its start). */
  dateId: number;
  eventTitle: string;
  eventStartsAt: Date;
  eventVenue: string;
  ticketTypeName: string;
  quantity: number;
  name: string;
  code: string;
  validUntil: Date;
}
