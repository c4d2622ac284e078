// English texts of editing destinations and schedules, the jobs' destination
// and schedule, and a delete's restore state (spread into en.ts).
export const enEdit = {
  'dest.edit': 'Edit',
  'dest.editTitle': 'Edit {name}',
  'dest.unchanged': 'unchanged — type to replace',
  'dest.saveChanges': 'Save changes and test',
  'schs.edit': 'Edit',
  'schs.editTitle': 'Edit the schedule',
  'schs.editWhere': 'Filter (filter language; empty = all records)',
  'schs.editDest': 'Destination (a saved name, folder or URL)',
  'schs.editCeiling': 'At most this many records (it can only go down)',
  'schs.editWhat': 'To change the object or the fields, make a new export.',
  'schs.save': 'Save',
  'schs.saved': 'Schedule saved: next run {next}.',
  // A schedule run's outcome when its job's status is not known (shown like a status).
  'status.started': 'Started',
  'status.skipped': 'Skipped',
  'status.claimed': 'Starting',
  // Job summaries Go words in English, told again in the UI's language (jobs/messages.ts).
  'jobs.msg.deleted': '{n} {object} {n:record|records} deleted',
  'jobs.msg.exported': 'Exported {rows} {rows:row|rows} in {files} {files:file|files} to {where} in {s} s',
  'jobs.msg.interrupted': 'Interrupted: Batchdesk stopped while the job was running; resume to continue.',
  'jobs.col.destination': 'Destination',
  'jobs.schedule': 'Schedule',
  'jobs.fromSchedule': 'Started by schedule “{title}”',
  'jobs.scheduleGone': 'Started by a schedule since removed',
  'del.restoredAt': 'Restored at {when}',
  'del.restoreJob': 'job {id}',
  'del.restoreRunning': 'A restore is running',
  'del.restoreFailed': 'The last restore did not finish ({status}): you may try again.',
  'del.restoreRetry': 'Restore again',
  'del.restoredPartly': '{n} {n:record|records} could not come back: see the restore job’s error report.',
} as const;
