import { BadGatewayException } from '@nestjs/common';

/**
 * 502: a payment provider refused or failed what was asked of it, and nothing was changed here.
 * Unlike other server errors its message is shown: it is written for the user, and says so.
 */
export class ProviderFailedException extends BadGatewayException {}
