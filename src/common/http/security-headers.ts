import type { RequestHandler } from 'express';
import helmet from 'helmet';

const DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
};

/**
 * helmet's headers with a Content-Security-Policy that allows no inline script or
 * style (all of ours lives in public/). Swagger UI, on /api/docs only, needs inline
 * styles; its scripts stay external. HSTS only where cookies are Secure (HTTPS).
 * `formTargets`: other origins a form may lead to (a payment provider's checkout page, reached
 * by the redirect that answers the pay form).
 */
export function securityHeaders({
  https,
  formTargets = [],
}: {
  https: boolean;
  formTargets?: string[];
}): RequestHandler[] {
  // Over plain HTTP (a LAN, staging) upgrading requests to HTTPS would break every asset.
  const directives = {
    ...DIRECTIVES,
    formAction: [...DIRECTIVES.formAction, ...formTargets],
    upgradeInsecureRequests: https ? [] : null,
  };
  const apiDocsPolicy = helmet.contentSecurityPolicy({
    directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] },
  });
  return [
    helmet({ contentSecurityPolicy: { directives }, strictTransportSecurity: https }),
    (req, res, next) => (req.path.startsWith('/api/docs') ? apiDocsPolicy(req, res, next) : next()),
  ];
}
