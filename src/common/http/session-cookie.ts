/** The name of the cookie that carries a login's session id (express-session). */
export const SESSION_COOKIE = 'boxoffice.sid';
