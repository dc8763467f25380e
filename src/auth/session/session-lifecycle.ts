import type { Request } from 'express';
import type { SessionUser } from '../session-user';

/** Promise forms of passport's and express-session's callbacks. passport regenerates the session id at login and logout. */
export const logIn = (req: Request, user: SessionUser & { loginKey: string }) =>
  new Promise<void>((resolve, reject) =>
    req.login(user, (error) => (error ? reject(error as Error) : resolve())),
  );

/** Logs out and deletes the session from the store. */
export async function endSession(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    req.logout((error) => (error ? reject(error as Error) : resolve())),
  );
  await new Promise<void>((resolve, reject) =>
    req.session.destroy((error) => (error ? reject(error as Error) : resolve())),
  );
}

/**
 * Writes the session to the store now. express-session otherwise saves it as the response ends,
 * while the page's body is already on its way: what the page loads next (an image) could come
 * back before the session holds what the page was made from.
 */
export const saveSession = (req: Request) =>
  new Promise<void>((resolve, reject) =>
    req.session.save((error) => (error ? reject(error as Error) : resolve())),
  );
