import { Injectable, NotFoundException, PipeTransform } from '@nestjs/common';

/** Route ids are positive integers; anything else names nothing, so it is a 404, not a 400. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new NotFoundException();
    return id;
  }
}
