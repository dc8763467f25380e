import { randomCode } from '../common/random-code';

/** A ticket's own code: 80 random bits, so nobody finds a valid ticket by guessing. */
export const newTicketCode = () => randomCode(16);

/** What a ticket code looks like (Crockford's base32, upper case). */
export const TICKET_CODE = /^[0-9A-HJKMNP-TV-Z]{16}$/;
