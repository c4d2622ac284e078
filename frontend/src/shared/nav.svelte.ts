// Which page the shell shows (and what in it, e.g. a job's id). Kept in the
// location hash so reloads stay put.
import { DEFAULT_PAGE, hashFor, pageFromHash, subFromHash, type PageId } from './pages';

export class NavState {
  page = $state<PageId>(DEFAULT_PAGE);
  /** The item within the page (#/jobs/<id>), "" for the page itself. */
  sub = $state('');

  constructor(page: PageId = DEFAULT_PAGE, sub = '') {
    this.page = page;
    this.sub = sub;
  }

  go(page: PageId, sub = ''): void {
    this.page = page;
    this.sub = sub;
    if (typeof location !== 'undefined' && location.hash !== hashFor(page, sub)) {
      history.replaceState(null, '', hashFor(page, sub));
    }
  }

  /** Follows a hash change made by the user (back button, typed URL). */
  syncFromHash(hash: string): void {
    this.page = pageFromHash(hash);
    this.sub = subFromHash(hash);
  }
}
