import { notification } from '@edd/events';
import { enqueueEvent, type Queryable } from '@edd/outbox';

/** Notifications auth sends its users, written in the transaction of the change (the outbox publishes them). */

export async function noticeServiceAccountCreated(
  client: Queryable,
  ownerPublicId: string,
  account: { id: string; name: string },
): Promise<void> {
  await enqueueEvent(
    client,
    'notify',
    notification(ownerPublicId, {
      title: 'Service account created',
      message: `The service account "${account.name}" was created.`,
      category: 'auth',
      link: '/settings/service-accounts',
    }),
  );
}

/**
 * A sign-in from a device (browser user agent) the user never signed in from before. Not on the very first
 * sign-in: every device is new then, and there is nobody else to warn.
 */
export async function noticeIfNewDevice(
  client: Queryable,
  user: { id: number; publicId: string },
  userAgent: string | null,
): Promise<void> {
  const { rows } = await client.query<{ known: boolean; any: boolean }>(
    `SELECT bool_or(user_agent IS NOT DISTINCT FROM $2) AS known, count(*) > 0 AS any FROM sessions WHERE user_id = $1`,
    [user.id, userAgent],
  );
  const seen = rows[0];
  if (!seen?.any || seen.known) return;
  await enqueueEvent(
    client,
    'notify',
    notification(user.publicId, {
      title: 'Sign-in from a new device',
      message: `Someone signed in to your account from ${describeAgent(userAgent)}. If it was not you, revoke the session and change your password.`,
      category: 'auth',
      scope: 'sign-in',
      link: '/settings/sessions',
    }),
  );
}

function describeAgent(userAgent: string | null): string {
  if (!userAgent) return 'an unnamed client';
  return userAgent.length > 120 ? `${userAgent.slice(0, 120)}…` : userAgent;
}
