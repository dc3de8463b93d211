/** What a file is stored as when the uploader declared nothing usable. Its bytes are never sniffed. */
export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/** A media type as stored: lowercase type and subtype, and a lowercase charset when one was declared. */
export interface MediaType {
  type: string;
  subtype: string;
  charset?: string;
}

const MAX_LENGTH = 255;
// RFC 6838 §4.2 restricted-name: no wildcards (`*/*`), no quotes, at most 127 characters each.
const TYPE_AND_SUBTYPE = /^([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126})\/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126})/;
// RFC 9110 §5.6.6: parameters = *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )
const PARAMETER =
  /[ \t]*;[ \t]*(?:([!#$%&'*+\-.^_`|~0-9A-Za-z]+)=([!#$%&'*+\-.^_`|~0-9A-Za-z]+|"(?:[\t \x21\x23-\x5b\x5d-\x7e]|\\[\t \x21-\x7e])*"))?/y;
// RFC 2978 §2.3 mime-charset, at most 40 characters.
const CHARSET = /^[A-Za-z0-9!#$%&'+\-^_`{}~]{1,40}$/;

/**
 * Parses a declared `Content-Type` strictly (RFC 9110 §8.3.1). Only `charset` survives of the parameters: it is the
 * one a browser needs to show text, and the others are never needed to serve bytes back.
 */
export function parseMediaType(value: string): MediaType | undefined {
  const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed.length > MAX_LENGTH) return undefined;
  const head = TYPE_AND_SUBTYPE.exec(trimmed);
  if (!head) return undefined;
  const media: MediaType = { type: (head[1] ?? '').toLowerCase(), subtype: (head[2] ?? '').toLowerCase() };
  let index = head[0].length;
  while (index < trimmed.length) {
    PARAMETER.lastIndex = index;
    const parameter = PARAMETER.exec(trimmed);
    if (!parameter || PARAMETER.lastIndex === index) return undefined;
    index = PARAMETER.lastIndex;
    const [, name, raw] = parameter;
    if (name?.toLowerCase() !== 'charset' || raw === undefined || media.charset !== undefined) continue;
    const charset = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (CHARSET.test(charset)) media.charset = charset.toLowerCase();
  }
  return media;
}

/**
 * The content type to store for an upload: the declared one, normalised, when it is a valid media type, else
 * application/octet-stream. No sniffing: the uploader's word or nothing, so a file cannot become HTML by its bytes.
 */
export function storedContentType(declared: string | undefined): string {
  const media = declared === undefined ? undefined : parseMediaType(declared);
  return media ? formatMediaType(media) : FALLBACK_CONTENT_TYPE;
}

export function formatMediaType(media: MediaType): string {
  return `${media.type}/${media.subtype}${media.charset ? `; charset=${media.charset}` : ''}`;
}
