/** One entity-tag of a header (RFC 9110 §8.8.3), without its quotes. */
export interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** `*`, a list of tags, or `invalid` when the value is not an entity-tag list (it then matches nothing). */
export type EntityTagList = '*' | EntityTag[] | 'invalid';

const SHA256_HEX = /^[0-9a-f]{64}$/;
// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text; list elements may be empty
// (RFC 9110 §5.6.1). Node hands header bytes over as latin1, so obs-text is U+0080–U+00FF.
const LIST_ELEMENT = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|$)/y;

/** A file's ETag: its sha256 as a strong entity-tag. The same bytes always answer the same tag, on any replica. */
export function etagForSha256(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error('an ETag is made from a lowercase hex sha256');
  return `"${sha256}"`;
}

/** Parses `If-Match`, `If-None-Match` (and the entity-tag form of `If-Range`). A tag may contain commas, so no split. */
export function parseEntityTagList(value: string): EntityTagList {
  if (value.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  let index = 0;
  while (index < value.length) {
    LIST_ELEMENT.lastIndex = index;
    const match = LIST_ELEMENT.exec(value);
    if (!match) return 'invalid';
    if (match[2] !== undefined) tags.push({ weak: match[1] !== undefined, opaque: match[2] });
    if (match[3] === '') break;
    index = LIST_ELEMENT.lastIndex;
  }
  return tags;
}

/** The tag our own `ETag` header carries (always strong), parsed. */
export function ownTag(etag: string): EntityTag {
  return { weak: false, opaque: etag.slice(1, -1) };
}

/** RFC 9110 §8.8.3.2: strong comparison, both tags strong and identical. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** RFC 9110 §8.8.3.2: weak comparison, identical opaque tags whether or not either is weak. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}
