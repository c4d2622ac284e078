package imports

import (
	"context"

	"batchdesk/backend/store"
)

// InspectFile is Inspect with the source options built from f and the
// file-size setting of st: what the files step of the window asks.
func InspectFile(ctx context.Context, st *store.Store, path string, f Format, sampleRows int) (FileInfo, error) {
	maxMB, err := st.MaxFileMB(ctx)
	if err != nil {
		return FileInfo{}, err
	}
	opts, err := SourceOptions(f.Encoding, f.Delimiter, maxMB)
	if err != nil {
		return FileInfo{}, err
	}
	return Inspect(path, opts, sampleRows)
}

// FileColumnValues is ColumnValues (multi-picklist cells split on ";")
// with the source options built from f and the file-size setting of st.
func FileColumnValues(ctx context.Context, st *store.Store, path string, f Format, header string, limit int) ([]ValueCount, error) {
	maxMB, err := st.MaxFileMB(ctx)
	if err != nil {
		return nil, err
	}
	opts, err := SourceOptions(f.Encoding, f.Delimiter, maxMB)
	if err != nil {
		return nil, err
	}
	return ColumnValues(path, opts, header, true, limit)
}
