// Security headers on everything the server serves (Hono's secureHeaders): a Content Security
// Policy that lets the page load only its own scripts, styles, fonts and images and talk only
// to its own origin (the chat socket included), never be framed, and the usual companions
// (nosniff, referrer policy, no cross-origin opener).
import { secureHeaders } from 'hono/secure-headers';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'], // the bundler inlines small files as data: URLs
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"], // same-origin ws:/wss: included
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const securityHeaders = () => secureHeaders({
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  crossOriginResourcePolicy: 'same-origin',
  crossOriginOpenerPolicy: 'same-origin',
  strictTransportSecurity: false, // the server may run on plain HTTP; a TLS proxy in front sets HSTS
});
