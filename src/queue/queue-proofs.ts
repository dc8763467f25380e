import { BadRequestException, Injectable } from '@nestjs/common';
import { createChallenge, verifySolution } from 'altcha-lib/v1';
import type { Challenge, Payload } from 'altcha-lib/v1/types';
import { createHmac } from 'node:crypto';
import { EntityManager, LessThan } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { QueueProof } from './entities/queue-proof.entity';

/** How long a challenge may be solved and used. */
const CHALLENGE_LIFETIME_MS = 5 * 60_000;

/** A missing, wrong, reused or expired proof: nothing is joined. */
export class ProofRefusedError extends BadRequestException {
  constructor() {
    super(
      'Joining the queue needs your browser to solve a small puzzle first, and this answer did not work (missing, wrong, used already, or older than 5 minutes). Please try again.',
    );
  }
}

/**
 * The queue's proof of work: ALTCHA's v1 format (SHA-256), through altcha-lib/v1. A browser
 * finds `number` with sha256(salt + number) = challenge (about 40 ms at the default size);
 * a script joining thousands of times pays that thousands of times. Each challenge joins once.
 */
@Injectable()
export class QueueProofs {
  private readonly hmacKey: string;

  constructor(private readonly config: AppConfig) {
    this.hmacKey = createHmac('sha256', config.sessionSecret)
      .update('queue proof of work')
      .digest('hex');
  }

  /** Whether joining needs a proof (QUEUE_POW_MAX_NUMBER 0: not, for tests). */
  get required(): boolean {
    return this.config.queue.powMaxNumber > 0;
  }

  challenge(): Promise<Challenge> {
    return createChallenge({
      hmacKey: this.hmacKey,
      maxNumber: this.config.queue.powMaxNumber,
      expires: new Date(Date.now() + CHALLENGE_LIFETIME_MS),
    });
  }

  /** Checks the posted proof (base64 JSON) and uses it up in the caller's transaction. */
  async redeem(manager: EntityManager, posted: unknown): Promise<void> {
    if (!this.required) return;
    const payload = decode(posted);
    if (!payload || !(await verifySolution(payload, this.hmacKey, true)))
      throw new ProofRefusedError();
    try {
      await manager.insert(QueueProof, {
        challenge: payload.challenge,
        expiresAt: new Date(Date.now() + CHALLENGE_LIFETIME_MS),
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new ProofRefusedError() : error;
    }
  }

  /** Forgets proofs whose challenges can no longer be used anyway. */
  async forgetExpired(manager: EntityManager): Promise<void> {
    await manager.delete(QueueProof, { expiresAt: LessThan(new Date()) });
  }
}

function decode(posted: unknown): Payload | undefined {
  if (typeof posted !== 'string' || posted.length > 2000) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(posted, 'base64').toString('utf8')) as Partial<Payload>;
    const fields = [payload.algorithm, payload.challenge, payload.salt, payload.signature];
    const whole =
      fields.every((field) => typeof field === 'string' && field.length <= 200) &&
      Number.isSafeInteger(payload.number);
    return whole && /^[0-9a-f]{64}$/.test(payload.challenge!) ? (payload as Payload) : undefined;
  } catch {
    return undefined;
  }
}
