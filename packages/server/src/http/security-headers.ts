import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers on every answer: no MIME sniffing, no framing by other pages, no referrer, and a
 * Content Security Policy that lets a page load only the server's own scripts and data.
 * Styles may be inline because BokehJS styles its figures with inline <style> elements;
 * images may be data: URLs (BokehJS's toolbar icons, the page's empty icon).
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // Plain HTTP: a Strict-Transport-Security header would mean nothing, or, on a name also
    // served over HTTPS, pin it there.
    strictTransportSecurity: false,
  });
}
