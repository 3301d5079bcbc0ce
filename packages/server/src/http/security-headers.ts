import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers on every answer: no MIME sniffing, no framing by other pages, no referrer, and a
 * Content Security Policy that lets a page load only the server's own scripts and data,
 * with what BokehJS needs (seen in Chromium, test/e2e): it styles figures with inline
 * <style> elements, so inline styles; images may be data: URLs (the page's empty icon).
 * No inline script and no eval runs (the page draws on canvas; BokehJS's WebGL renderer,
 * not loaded, would need 'unsafe-eval').
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
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
