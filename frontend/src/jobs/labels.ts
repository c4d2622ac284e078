// What a job is and the figures that fit it: an import's rows, success rate
// and throughput; a delete's matched, deleted, cascaded records and its
// backup; a restore (the import of a delete's backup) says so.
import type { JobEvent, JobSummary } from '$lib/api';
import { t } from '$lib/i18n';
import { formatDuration } from '../import/rules';
import type { JobStat } from './JobStats.svelte';
import { ratePercent } from './jobs.svelte';

export type JobKind = 'import' | 'export' | 'delete' | 'restore';

/** The kind people read: a restore is an import job that names the delete it restores. */
export function jobKind(j: Pick<JobSummary, 'kind' | 'restoreOf'>): JobKind | string {
  return j.restoreOf ? 'restore' : j.kind;
}

export function kindLabel(j: Pick<JobSummary, 'kind' | 'restoreOf'>): string {
  const k = jobKind(j);
  return ['import', 'export', 'delete', 'restore'].includes(k) ? t(`kind.${k as JobKind}`) : k;
}

/** Whether success rate and throughput fit the job (not a delete, not a restore). */
export function hasRates(j: Pick<JobSummary, 'kind' | 'restoreOf'>): boolean {
  const k = jobKind(j);
  return k !== 'delete' && k !== 'restore';
}

/** The file name of a path, either separator. */
export const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** The job page's figures for j, the live event's counts over the saved ones while it runs. */
export function jobFigures(j: JobSummary, live: JobEvent | null = null): JobStat[] {
  const total = (live?.total ?? j.total).toLocaleString();
  const ok = (live?.succeeded ?? j.succeeded).toLocaleString();
  const failed = (live?.failed ?? j.failed).toLocaleString();
  const duration = { label: t('imp.res.duration'), value: j.seconds ? formatDuration(j.seconds) : t('common.none') };
  switch (jobKind(j)) {
    case 'delete':
      return [
        { label: t('jobs.del.matched'), value: total },
        { label: t('jobs.del.deleted'), value: ok, tone: 'ok' },
        // The preview's figure is what went only once the job is done (Go sends 0 before).
        { label: t('jobs.del.cascaded'), value: (live?.status ?? j.status) === 'done' ? (j.cascaded ?? 0).toLocaleString() : t('common.none') },
        { label: t('jobs.del.notDeleted'), value: failed, tone: (live?.failed ?? j.failed) > 0 ? 'bad' : undefined },
        { label: t('del.backupAt'), value: j.backup ? baseName(j.backup) : t('del.noBackupShort') },
        duration,
      ];
    case 'restore':
      return [
        { label: t('jobs.res.inBackup'), value: total },
        { label: t('jobs.res.restored'), value: ok, tone: 'ok' },
        { label: t('jobs.res.notRestored'), value: failed, tone: (live?.failed ?? j.failed) > 0 ? 'bad' : undefined },
        duration,
      ];
  }
  return [
    { label: t('imp.res.total'), value: total },
    { label: t('imp.res.succeeded'), value: ok },
    { label: t('imp.res.failed'), value: failed },
    { label: t('jobs.col.rate'), value: j.total ? ratePercent(j.successRate) : t('common.none') },
    duration,
    { label: t('imp.res.speed'), value: t('imp.send.perSec', { n: Math.round(live?.rowsPerSec ?? j.rowsPerSec).toLocaleString() }) },
  ];
}
