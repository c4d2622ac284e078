package imports

import (
	"context"

	"batchdesk/backend/ingest/source"
	"batchdesk/backend/store"
)

// InspectFile is Inspect reading with f and the
// file-size setting of st: what the files step of the window asks.
func InspectFile(ctx context.Context, st *store.Store, path string, f source.Format, sampleRows int) (FileInfo, error) {
	maxMB, err := st.MaxFileMB(ctx)
	if err != nil {
		return FileInfo{}, err
	}
	opts, err := fileOptions(f, maxMB)
	if err != nil {
		return FileInfo{}, err
	}
	return Inspect(path, opts, sampleRows)
}

// FileColumnValues is ColumnValues (multi-picklist cells split on ";")
// reading with f and the file-size setting of st.
func FileColumnValues(ctx context.Context, st *store.Store, path string, f source.Format, header string, limit int) ([]ValueCount, error) {
	maxMB, err := st.MaxFileMB(ctx)
	if err != nil {
		return nil, err
	}
	opts, err := fileOptions(f, maxMB)
	if err != nil {
		return nil, err
	}
	return ColumnValues(path, opts, header, true, limit)
}
