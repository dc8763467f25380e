import { ApiResponse, type OpenAPIObject } from '@nestjs/swagger';

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const nullableDateTime: SchemaObject = { type: 'string', format: 'date-time', nullable: true };
const integer: SchemaObject = { type: 'integer' };
const string: SchemaObject = { type: 'string' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const page = (item: string): SchemaObject => ({
  type: 'object',
  required: ['data', 'total', 'limit', 'offset'],
  properties: {
    data: { type: 'array', items: ref(item) },
    total: integer,
    limit: integer,
    offset: integer,
  },
});

/** The JSON the admin API answers with (PRODUCT.md "JSON API for admins"), for the OpenAPI document. */
export const API_RESPONSE_SCHEMAS: Record<string, SchemaObject> = {
  TicketType: {
    type: 'object',
    properties: {
      id: integer,
      name: string,
      priceCents: integer,
      capacity: integer,
      sold: integer,
      remaining: integer,
    },
  },
  Event: {
    type: 'object',
    properties: {
      id: integer,
      title: string,
      description: string,
      venue: string,
      startsAt: dateTime,
      status: { type: 'string', enum: ['draft', 'published'] },
      publishedAt: nullableDateTime,
      organiserId: integer,
      maxTicketsPerType: integer,
      createdAt: dateTime,
      updatedAt: dateTime,
      ticketTypes: { type: 'array', items: ref('TicketType') },
    },
  },
  Booking: {
    type: 'object',
    properties: {
      reference: string,
      eventId: integer,
      attendeeName: string,
      attendeeEmail: string,
      status: { type: 'string', enum: ['confirmed', 'cancelled'] },
      totalCents: integer,
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            ticketTypeId: integer,
            name: string,
            quantity: integer,
            unitPriceCents: integer,
          },
        },
      },
      createdAt: dateTime,
      cancelledAt: nullableDateTime,
      checkedInAt: nullableDateTime,
    },
  },
  EventPage: page('Event'),
  BookingPage: page('Booking'),
  Settings: { type: 'object', properties: { name: string, description: string } },
  UserList: {
    type: 'object',
    properties: {
      data: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: integer,
            email: string,
            displayName: string,
            role: string,
            createdAt: dateTime,
            eventCount: integer,
          },
        },
      },
    },
  },
  Stats: {
    type: 'object',
    properties: {
      events: integer,
      publishedEvents: integer,
      ticketsSold: integer,
      revenueCents: integer,
    },
  },
};

/** Documents a success response with one of API_RESPONSE_SCHEMAS. */
export const ApiJson = (
  status: number,
  schema: keyof typeof API_RESPONSE_SCHEMAS,
  description = 'OK',
) => ApiResponse({ status, description, schema: ref(schema) });
