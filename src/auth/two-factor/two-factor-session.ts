import type { Request } from 'express';
import type { SessionUser } from '../session-user';

/** A password accepted for an account with two-factor sign-in waits this long for its code. */
const PENDING_MS = 5 * 60_000;

interface PendingLogin {
  userId: number;
  email: string;
  next?: string;
  until: number;
}

interface TwoFactorSession {
  /** The password was right; the login waits for a code (/login/2fa). */
  pendingLogin?: PendingLogin;
  /** A secret shown for enrolment, until its first code confirms it. */
  totpEnrolment?: string;
}

const sessionOf = (req: Request) => req.session as typeof req.session & TwoFactorSession;

export function awaitSecondFactor(req: Request, user: SessionUser, next?: string): void {
  sessionOf(req).pendingLogin = {
    userId: user.id,
    email: user.email,
    next,
    until: Date.now() + PENDING_MS,
  };
}

/** The login waiting for its code, unless there is none or it waited too long. */
export function pendingLogin(req: Request): PendingLogin | undefined {
  const pending = sessionOf(req).pendingLogin;
  return pending && pending.until > Date.now() ? pending : undefined;
}

export function keepEnrolmentSecret(req: Request, secret: string): void {
  sessionOf(req).totpEnrolment = secret;
}

export function enrolmentSecret(req: Request): string | undefined {
  return sessionOf(req).totpEnrolment;
}

export function forgetEnrolmentSecret(req: Request): void {
  delete sessionOf(req).totpEnrolment;
}
