import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers on every answer: no MIME sniffing, no framing by other pages, no referrer, and a
 * Content Security Policy that lets a page load only the server's own scripts and data,
 * with what BokehJS needs (seen in Chromium, test/e2e): its WebGL renderer (regl) compiles
 * draw calls with `Function(...)`, so 'unsafe-eval' (without it WebGL plots fall back to
 * canvas in silence); it styles figures with inline <style> elements, so inline styles;
 * images may be data: URLs (the page's empty icon). No inline script runs.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-eval'"],
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
