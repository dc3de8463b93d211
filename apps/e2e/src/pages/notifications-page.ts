import { expect, type Locator, type Page } from '@playwright/test';
import { openPage } from './open-page';

/** The bell in the top bar and the Notifications page. */
export class NotificationsUi {
  readonly bell: Locator;
  readonly unreadCount: Locator;
  readonly dropdown: Locator;
  readonly toast: Locator;
  /** The toasts' region; `data-feed="live"` once the page follows new notifications. */
  readonly toasts: Locator;
  readonly items: Locator;
  readonly mutes: Locator;

  constructor(readonly page: Page) {
    this.bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    this.unreadCount = page.getByTestId('unread-count');
    this.dropdown = page.getByRole('region', { name: 'Latest notifications' });
    this.toast = page.getByTestId('notification-toast');
    this.toasts = page.getByTestId('notification-toasts');
    this.items = page.getByTestId('notification');
    this.mutes = page.getByTestId('mute');
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/notifications', this.page.getByRole('heading', { name: 'Notifications' }));
  }

  /** Until the feed is live, a new notification only raises the count (on the next refetch), with no toast. */
  async waitUntilLive(): Promise<void> {
    await expect(this.toasts).toHaveAttribute('data-feed', 'live');
  }

  item(text: string): Locator {
    return this.items.filter({ hasText: text });
  }
}
