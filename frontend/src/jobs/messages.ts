// A job's summary message in the current language. Go words the summaries
// it makes itself in English ("4 of 8 rows succeeded, 4 failed"); those are
// told again from their figures, in words of the UI's language. Anything
// else (a reason the job failed, which names the file or the server's words)
// is shown as it came.
import { t } from '$lib/i18n';

const DONE = /^(\d+) of (\d+) rows succeeded, (\d+) failed$/;
const CANCELED = /^canceled after (\d+) rows \((\d+) failed\); resume to continue$/;
// backend/deletion/run.go, backend/export/service.go, backend/jobs/history.go:
const DELETED = /^(\d+) (\w+) records deleted$/;
const EXPORTED = /^exported (\d+) rows in (\d+) file\(s\) to (.+) in ([\d.]+) s$/;
const INTERRUPTED = 'interrupted: Batchdesk stopped while the job was running; resume to continue';

/** The job message msg in the current language, where Go's words are known. */
export function jobMessage(msg: string): string {
  const n = (s: string) => Number(s).toLocaleString();
  let m = DONE.exec(msg);
  if (m) return t('jobs.msg.done', { ok: n(m[1]), total: n(m[2]), failed: n(m[3]) });
  m = CANCELED.exec(msg);
  if (m) return t('jobs.msg.canceled', { n: n(m[1]), failed: n(m[2]) });
  m = DELETED.exec(msg);
  if (m) return t('jobs.msg.deleted', { n: n(m[1]), object: m[2] });
  m = EXPORTED.exec(msg);
  if (m) return t('jobs.msg.exported', { rows: n(m[1]), files: n(m[2]), where: m[3], s: m[4] });
  if (msg === INTERRUPTED) return t('jobs.msg.interrupted');
  return msg;
}
