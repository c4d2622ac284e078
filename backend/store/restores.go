package store

import "context"

// ListRestoresOf returns the import jobs that restore the backup of delete
// job deleteID — those whose settings name it as restoreOf (backend/imports
// Settings.RestoreOf) — oldest first.
func (s *Store) ListRestoresOf(ctx context.Context, deleteID string) ([]Job, error) {
	return queryAll(ctx, s.db, scanJob, "list the restores of job "+deleteID,
		`SELECT `+jobCols+` FROM jobs WHERE kind = ? AND (CASE WHEN json_valid(settings) THEN json_extract(settings, '$.restoreOf') END) = ?
		ORDER BY created_at, id`, JobImport, deleteID)
}
