import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** One refused field of a problem: `field` is a dotted path such as `ticketTypes.0.capacity`. */
export class FieldErrorResponse {
  @ApiProperty({ example: 'ticketTypes.0.capacity' })
  field!: string;

  @ApiProperty()
  message!: string;
}

/** Every error of the API: application/problem+json (RFC 9457). */
export class ProblemResponse {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ type: [FieldErrorResponse], required: false })
  errors?: FieldErrorResponse[];
}

/** A success response whose JSON is `type` (a response class). */
export const ApiJson = (status: number, type: Type<unknown>, description = 'OK') =>
  ApiResponse({ status, description, type });

/** An error response, as problem+json. */
export const ApiProblem = (status: number, description: string) =>
  applyDecorators(
    ApiExtraModels(ProblemResponse),
    ApiResponse({
      status,
      description,
      content: {
        'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } },
      },
    }),
  );

/**
 * `{data, total, limit, offset}`: a page of `item`s. Extend it with a class of its own, whose
 * name the OpenAPI document uses: `class EventPage extends PageOf(EventResponse) {}`.
 */
export function PageOf<T>(item: Type<T>) {
  class Page {
    @ApiProperty({ type: [item] })
    data!: T[];

    @ApiProperty({ description: 'How many there are in all' })
    total!: number;

    @ApiProperty()
    limit!: number;

    @ApiProperty()
    offset!: number;
  }
  return Page;
}
