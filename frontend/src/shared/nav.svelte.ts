// Which page the shell shows. Kept in the location hash so reloads stay put.
import { DEFAULT_PAGE, hashFor, pageFromHash, type PageId } from './pages';

export class NavState {
  page = $state<PageId>(DEFAULT_PAGE);

  constructor(page: PageId = DEFAULT_PAGE) {
    this.page = page;
  }

  go(page: PageId): void {
    this.page = page;
    if (typeof location !== 'undefined' && location.hash !== hashFor(page)) {
      history.replaceState(null, '', hashFor(page));
    }
  }

  /** Follows a hash change made by the user (back button, typed URL). */
  syncFromHash(hash: string): void {
    this.page = pageFromHash(hash);
  }
}
