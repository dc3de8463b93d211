/**
 * The sentence to show for a failed tus request: the service's `{"error": "..."}` when the body has one (413 says
 * how much quota is left), else the status. tus-js-client only hands over the raw response.
 */
export function tusErrorMessage(status: number | undefined, body: string | undefined, fallback: string): string {
  if (body) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string' && parsed.error) {
        return capitalise(parsed.error);
      }
    } catch {
      // not our JSON: a proxy's page
    }
  }
  if (status === 0 || status === undefined) return fallback.startsWith('tus: ') ? 'The storage service could not be reached.' : fallback;
  return `The storage service answered ${status}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
