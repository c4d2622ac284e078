package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// SetJobFiles replaces a job's files (an export records what it published).
// An unknown ID gives code NotFound.
func (s *Store) SetJobFiles(ctx context.Context, id string, files []JobFile) error {
	if files == nil {
		files = []JobFile{}
	}
	b, err := json.Marshal(files)
	if err != nil {
		return fmt.Errorf("job %s: encode files: %w", id, err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE jobs SET files = ? WHERE id = ?`, string(b), id)
	if err != nil {
		return fmt.Errorf("set files of job %s: %w", id, err)
	}
	return affectedOne(res, "job", id)
}
