// The pages of the shell, in navigation order.
import type { MessageKey } from '$lib/i18n';

export type PageId =
  | 'import'
  | 'export'
  | 'delete'
  | 'jobs'
  | 'schedules'
  | 'presets'
  | 'connections'
  | 'objects'
  | 'settings';

export interface PageDef {
  id: PageId;
  label: MessageKey;
  group: 'work' | 'setup';
  /** Glyph drawn in the nav (plain text, no icon font). */
  icon: string;
}

export const PAGES: readonly PageDef[] = [
  { id: 'import', label: 'nav.import', group: 'work', icon: '⇪' },
  { id: 'export', label: 'nav.export', group: 'work', icon: '⇩' },
  { id: 'delete', label: 'nav.delete', group: 'work', icon: '⌫' },
  { id: 'jobs', label: 'nav.jobs', group: 'work', icon: '☰' },
  { id: 'schedules', label: 'nav.schedules', group: 'work', icon: '◷' },
  { id: 'presets', label: 'nav.presets', group: 'setup', icon: '⚑' },
  { id: 'connections', label: 'nav.connections', group: 'setup', icon: '⛁' },
  { id: 'objects', label: 'nav.objects', group: 'setup', icon: '▦' },
  { id: 'settings', label: 'nav.settings', group: 'setup', icon: '⚙' },
];

export const DEFAULT_PAGE: PageId = 'import';

export function isPageId(v: string): v is PageId {
  return PAGES.some((p) => p.id === v);
}

/** The page a location hash (#/objects) names, or the default page. */
export function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return isPageId(id) ? id : DEFAULT_PAGE;
}


/** What follows the page in the hash (#/jobs/<id> → "<id>"), or "". */
export function subFromHash(hash: string): string {
  const parts = hash.replace(/^#\/?/, '').split('/');
  return parts.length > 1 ? decodeURIComponent(parts.slice(1).join('/')) : '';
}

export function hashFor(page: PageId, sub = ''): string {
  return sub ? `#/${page}/${encodeURIComponent(sub)}` : `#/${page}`;
}
