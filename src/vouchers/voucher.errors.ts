import { HttpStatus } from '@nestjs/common';
import { InvalidFieldError } from '../common/forms/invalid-field.error';

/**
 * A code the buyer typed that cannot be used: the buy form shows it at `voucher` (422), the API
 * at `voucherCode` (400, or 409 when used up: the code was fine, others were faster).
 */
export class VoucherRefusedError extends InvalidFieldError {
  constructor(message: string, apiStatus: number = HttpStatus.BAD_REQUEST) {
    super('voucher', message, HttpStatus.UNPROCESSABLE_ENTITY, 'voucherCode');
    this.apiStatus = apiStatus;
  }

  static unknown() {
    return new VoucherRefusedError('This code is not valid for this event.');
  }

  static expired() {
    return new VoucherRefusedError('This code has expired.');
  }

  static usedUp() {
    return new VoucherRefusedError('This code has been used up.', HttpStatus.CONFLICT);
  }

  static notForThisDate() {
    return new VoucherRefusedError('This code is for another date of this event.');
  }

  static notForTheseTickets() {
    return new VoucherRefusedError('This code is not valid for the tickets you chose.');
  }
}
