import { contentDisposition, type Disposition } from './content-disposition';
import { FALLBACK_CONTENT_TYPE, formatMediaType, parseMediaType, type MediaType } from './media-type';

/**
 * On every file response. User bytes are served from a platform origin, so they must not be able to act as it:
 * - `nosniff`: the stored type is the only type; a "text/plain" file is never run as HTML or script;
 * - `sandbox`: an inline document gets an opaque origin with no scripts, forms, popups or plugins, so an uploaded
 *   page cannot read cookies or call other services with the user's credentials;
 * - `no-referrer`: a page opened through a share link cannot leak the link's token to the sites it links to.
 * They cost nothing on attachments and protect a browser that would render one anyway.
 */
export const FILE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': 'sandbox',
  'Referrer-Policy': 'no-referrer',
};

// Types a browser renders without running anything the file contains.
const PASSIVE_TYPES = new Set([
  'text/plain',
  'text/csv',
  'text/markdown',
  'text/css',
  'application/json',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/apng',
  'image/bmp',
  'image/x-icon',
  'image/vnd.microsoft.icon',
]);

// The WHATWG MIME Sniffing "JavaScript MIME type" essences, HTML, XHTML, SVG and XSLT.
const ACTIVE_TYPES = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/xsl',
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
]);

/** Types whose documents can run script or load other documents: HTML, SVG, any XML (XSLT), JavaScript. */
export function isActiveContentType(media: MediaType): boolean {
  const essence = `${media.type}/${media.subtype}`;
  return ACTIVE_TYPES.has(essence) || media.subtype === 'xml' || media.subtype.endsWith('+xml');
}

/**
 * Inline for what a browser shows safely (text, JSON, raster images, audio, video) and for active types, which
 * only ever go out under the `sandbox` policy above. Everything else is an attachment:
 * - PDF: viewers run the file's scripts and Chrome will not render a PDF in a sandboxed document anyway;
 * - unknown or binary types, which a browser would download or hand to a plugin.
 * `download` (the /storage/download/ route) always asks for an attachment.
 */
export function dispositionFor(contentType: string, download = false): Disposition {
  if (download) return 'attachment';
  const media = parseMediaType(contentType);
  if (!media) return 'attachment';
  if (isActiveContentType(media)) return 'inline';
  const essence = `${media.type}/${media.subtype}`;
  return PASSIVE_TYPES.has(essence) || media.type === 'audio' || media.type === 'video' ? 'inline' : 'attachment';
}

/**
 * The headers of a file response: its type (re-validated: a bad stored value goes out as octet-stream), how to
 * present it, and the security headers. The route adds the length, ETag, Last-Modified and range headers.
 */
export function fileResponseHeaders(file: { contentType: string; path: string }, download = false): Record<string, string> {
  const media = parseMediaType(file.contentType);
  const contentType = media ? formatMediaType(media) : FALLBACK_CONTENT_TYPE;
  return {
    'Content-Type': contentType,
    'Content-Disposition': contentDisposition(dispositionFor(contentType, download), file.path),
    ...FILE_SECURITY_HEADERS,
  };
}
