import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import type { SessionUser } from '../auth/session-user';
import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { SecretBox } from '../common/secret-box';
import { AppConfig } from '../config/app-config';
import { insertReturningId } from '../database/inserts';
import { TransactionRunner } from '../database/transaction-runner';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { TEST_EVENT, type WebhookEvent } from './webhook-events';
import { targetProblem } from './webhook-target';

/** Endpoints one organisation may have: enough for any integration, too few to fan a booking out into a flood. */
export const ENDPOINTS_PER_ORGANISATION = 10;

/**
 * Whose endpoints: an organisation's (its owners, on /organiser/webhooks), or the site's, told
 * of every event (admins, through the API; organisationId null); `by` is who acts.
 */
export interface WebhookScope {
  organisationId: number | null;
  by: SessionUser;
}

const within = (scope: WebhookScope) => ({ organisationId: scope.organisationId ?? IsNull() });

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
const subject = (endpoint: { id: number; url: string }) => `webhook ${endpoint.id} ${endpoint.url}`;

/** The webhook endpoints of an organisation (or the site): registered, listed, their secret rotated, tested, removed. */
@Injectable()
export class WebhookEndpoints {
  private readonly box: SecretBox;

  constructor(
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    @InjectRepository(WebhookDelivery) private readonly deliveryRows: Repository<WebhookDelivery>,
    private readonly transactions: TransactionRunner,
    private readonly deliveries: WebhookDeliveries,
    private readonly auditLog: AuditLogService,
    private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.sessionSecret);
  }

  /** Registers an endpoint; the secret is in the answer, and nowhere else ever again. */
  async create(
    scope: WebhookScope,
    url: string,
    events: WebhookEvent[],
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const problem = await targetProblem(url, this.config.webhooks.allowPrivate);
    if (problem) throw new InvalidFieldError('url', problem);
    const secret = newSecret();
    const id = await this.transactions.run(async (manager) => {
      if ((await manager.countBy(WebhookEndpoint, within(scope))) >= ENDPOINTS_PER_ORGANISATION)
        throw new InvalidFieldError(
          'url',
          `An organisation has at most ${ENDPOINTS_PER_ORGANISATION} webhook endpoints: remove one first.`,
          HttpStatus.CONFLICT,
        );
      const created = await insertReturningId(manager, WebhookEndpoint, {
        ownerId: scope.by.id,
        organisationId: scope.organisationId,
        url,
        events,
        secret: this.box.seal(secret),
      });
      await this.auditLog.record(
        manager,
        scope.by,
        'webhook.created',
        subject({ id: created, url }),
        events.join(', '),
      );
      return created;
    });
    return { endpoint: await this.find(scope, id), secret };
  }

  list(scope: WebhookScope): Promise<WebhookEndpoint[]> {
    return this.endpoints.find({ where: within(scope), order: { id: 'ASC' } });
  }

  /** An endpoint of this scope; 404 for any other. */
  async find(scope: WebhookScope, id: number): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findOneBy({ id, ...within(scope) });
    if (!endpoint) throw new NotFoundException('No such webhook endpoint.');
    return endpoint;
  }

  async remove(scope: WebhookScope, id: number): Promise<void> {
    await this.transactions.run(async (manager) => {
      const endpoint = await manager.findOneBy(WebhookEndpoint, { id, ...within(scope) });
      if (!endpoint) throw new NotFoundException('No such webhook endpoint.');
      await manager.delete(WebhookEndpoint, { id });
      await this.auditLog.record(manager, scope.by, 'webhook.deleted', subject(endpoint));
    });
  }

  /** A new secret: deliveries from now on are signed with it (also retries of earlier ones). */
  async rotateSecret(scope: WebhookScope, id: number): Promise<string> {
    const secret = newSecret();
    await this.transactions.run(async (manager) => {
      const endpoint = await manager.findOneBy(WebhookEndpoint, { id, ...within(scope) });
      if (!endpoint) throw new NotFoundException('No such webhook endpoint.');
      await manager.update(WebhookEndpoint, { id }, { secret: this.box.seal(secret) });
      await this.auditLog.record(manager, scope.by, 'webhook.secret-rotated', subject(endpoint));
    });
    return secret;
  }

  /** Queues a `webhook.test` delivery to the endpoint. */
  async sendTest(scope: WebhookScope, id: number): Promise<void> {
    const endpoint = await this.find(scope, id);
    await this.transactions.run((manager) =>
      this.deliveries.enqueue(manager, [endpoint.id], TEST_EVENT, null),
    );
  }

  /** The endpoint's deliveries, newest first. */
  async deliveriesOf(
    scope: WebhookScope,
    id: number,
    page: { limit: number; offset: number },
  ): Promise<{ data: WebhookDelivery[]; total: number }> {
    await this.find(scope, id);
    const [data, total] = await this.deliveryRows.findAndCount({
      where: { endpointId: id },
      order: { id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return { data, total };
  }

  /** Where a delivery goes and the secret to sign it with (one read); undefined once removed. */
  async target(endpointId: number): Promise<{ url: string; secret: string } | undefined> {
    const endpoint = await this.endpoints
      .createQueryBuilder('endpoint')
      .addSelect('endpoint.secret')
      .where('endpoint.id = :endpointId', { endpointId })
      .getOne();
    return endpoint ? { url: endpoint.url, secret: this.box.open(endpoint.secret) } : undefined;
  }
}
