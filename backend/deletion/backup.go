package deletion

import (
	"context"
	"fmt"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/destination"
	"batchdesk/backend/destination/local"
	"batchdesk/backend/export"
)

// BackupJob is what a backup exports: the records of IDs of Object and
// every record that cascades with them, with ids, every field including
// system fields, voided ones included.
type BackupJob struct {
	JobID  string
	Object *catalog.Object
	IDs    []string
	// Dir is the job's reports folder; the backup goes to Dir/backup.zip
	// unless To names another destination.
	Dir string
	To  string
}

// BackupInfo is a written, checked backup.
type BackupInfo struct {
	Location string       `json:"location"`
	Files    []BackupFile `json:"files"`
	Bytes    int64        `json:"bytes"`
}

// BackupFile is one object's file inside the backup.
type BackupFile struct {
	Name   string `json:"name"`
	Object string `json:"object"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// Backuper writes a backup and returns what it wrote (fsynced).
type Backuper func(ctx context.Context, t crm.Target, job BackupJob) (BackupInfo, error)

// exportBackup is the default Backuper: an export of the records by id,
// with ids, every field including system fields, voided ones included, and
// the related (detail) objects, zipped into Dir/backup.zip — or, with To,
// as <jobId>-backup.zip at that destination (a folder, oss://, ftp://,
// sftp:// or a saved destination's name). Destinations publish a file whole
// or not at all; the folder one syncs it to disk before the rename.
func (s *Service) exportBackup(ctx context.Context, t crm.Target, job BackupJob) (BackupInfo, error) {
	name := backupFile
	var dest destination.Destination
	var err error
	if job.To != "" {
		name = job.JobID + "-" + backupFile
		dest, err = s.ws.Dests.Resolve(ctx, job.To)
	} else {
		dest, err = local.New(job.Dir)
	}
	if err != nil {
		return BackupInfo{}, err
	}
	defer dest.Close()
	res, err := export.Run(ctx, t, export.Request{Object: job.Object.APIName, Related: true, SystemFields: true,
		IDs: job.IDs, IncludeVoided: true, WithIDs: true, Zip: name}, dest, nil)
	if err != nil {
		return BackupInfo{}, apperr.Wrap(err, apperr.CodeOf(err), "the backup could not be written, so nothing was deleted: %s", apperr.MessageOf(err))
	}
	var info BackupInfo
	for _, f := range res.Files {
		if f.Archive == "" {
			info.Location, info.Bytes = f.Location, f.Bytes
			continue
		}
		info.Files = append(info.Files, BackupFile{Name: f.Name, Object: f.Object, Rows: f.Rows, SHA256: f.SHA256})
	}
	return info, nil
}

// checkBackup compares the rows per object of a backup with the counts of
// the capture: no backup that misses a record, no delete.
func checkBackup(b BackupInfo, pv Preview) error {
	rows := map[string]int64{}
	for _, f := range b.Files {
		rows[f.Object] += f.Rows
	}
	want := map[string]int64{pv.Object: pv.Total}
	for _, c := range pv.Cascades {
		want[c.Object] += c.Rows
	}
	for obj, n := range want {
		if rows[obj] != n {
			hint := ""
			if obj != pv.Object {
				hint = fmt.Sprintf(" (%s records cascade with the %s records through a foreign key the backup follows only as a master–detail field)", obj, pv.Object)
			}
			return apperr.New(apperr.Conflict, "the backup holds %d %s records, not the %d that go%s: nothing was deleted", rows[obj], obj, n, hint)
		}
	}
	for obj, n := range rows {
		if _, ok := want[obj]; !ok && n > 0 {
			return apperr.New(apperr.Conflict, "the backup holds %d %s records, which do not go: nothing was deleted", n, obj)
		}
	}
	if b.Location == "" {
		return fmt.Errorf("the backup did not say where it was written")
	}
	return nil
}
