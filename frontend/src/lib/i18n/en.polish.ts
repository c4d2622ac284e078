// English texts of restore jobs, a delete's figures and a changed SFTP
// host key (spread into en.ts).
export const enPolish = {
  'kind.restore': 'Restore',
  'jobs.restoreOf': 'from backup of job {id}',
  'jobs.del.matched': 'Matched',
  'jobs.del.deleted': 'Deleted',
  'jobs.del.notDeleted': 'Not deleted',
  'jobs.del.cascaded': 'Details deleted with them',
  'jobs.del.cascadedShort': '+{n} {n:detail|details}',
  'jobs.res.inBackup': 'In the backup',
  'jobs.res.restored': 'Restored',
  'jobs.res.notRestored': 'Not restored',
  'dest.keyChanged':
    "This SFTP server's key changed since you accepted it. Accept the new key only if the server's administrator confirms it was reinstalled and gives you this fingerprint — otherwise someone may be intercepting the connection:",
  'dest.showNewKey': 'Show and accept the new key',
  'dest.acceptNewKey': 'I checked it: trust the new key',
  'dest.hostKeyChanged': 'The server answered with a different host key ({key}) from the one accepted before. If it was reinstalled, check the new key with its administrator and accept it; otherwise someone may be intercepting the connection: send nothing.',
} as const;
