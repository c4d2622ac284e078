package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"batchdesk/backend/apperr"
)

// Setting keys and their defaults.
const (
	SettingLanguage  = "language"    // "en" or "zh"
	SettingMaxFileMB = "max_file_mb" // largest accepted import file, in MiB
	SettingBatchSize = "batch_size"  // rows per batch sent to the CRM
	// The largest value and row of an import file, in MiB: a file with a
	// longer one is refused while it is read (memory stays bounded).
	SettingMaxFieldMB  = "max_field_mb"
	SettingMaxRecordMB = "max_record_mb"

	DefaultLanguage  = "en"
	DefaultMaxFileMB = 100
	DefaultBatchSize = 5000

	DefaultMaxFieldMB  = 1
	DefaultMaxRecordMB = 16
)

// GetSetting returns the value stored under key and whether one exists.
func (s *Store) GetSetting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get setting %s: %w", key, err)
	}
	return v, true, nil
}

// SetSetting stores value under key, replacing any previous value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if key == "" {
		return apperr.New(apperr.Invalid, "a setting needs a key")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}

// Language returns the UI language, "en" or "zh" (default "en").
func (s *Store) Language(ctx context.Context) (string, error) {
	v, ok, err := s.GetSetting(ctx, SettingLanguage)
	if err != nil || !ok || (v != "en" && v != "zh") {
		return DefaultLanguage, err
	}
	return v, nil
}

// SetLanguage stores the UI language; only "en" and "zh" are accepted.
func (s *Store) SetLanguage(ctx context.Context, lang string) error {
	if lang != "en" && lang != "zh" {
		return apperr.New(apperr.Invalid, "language must be en or zh, not %q", lang)
	}
	return s.SetSetting(ctx, SettingLanguage, lang)
}

// MaxFileMB returns the import size limit in MiB (default 100).
func (s *Store) MaxFileMB(ctx context.Context) (int, error) {
	return s.positiveInt(ctx, SettingMaxFileMB, DefaultMaxFileMB)
}

// MaxFileBytes returns the import size limit in bytes (default 104,857,600).
func (s *Store) MaxFileBytes(ctx context.Context) (int64, error) {
	mb, err := s.MaxFileMB(ctx)
	return int64(mb) << 20, err
}

// SetMaxFileMB stores the import size limit in MiB (1 to 102400).
func (s *Store) SetMaxFileMB(ctx context.Context, mb int) error {
	if mb < 1 || mb > 100*1024 {
		return apperr.New(apperr.Invalid, "the maximum file size must be between 1 and 102400 MB, not %d", mb)
	}
	return s.SetSetting(ctx, SettingMaxFileMB, strconv.Itoa(mb))
}

// MaxFieldMB returns the largest value of an import file in MiB (default
// 1).
func (s *Store) MaxFieldMB(ctx context.Context) (int, error) {
	return s.positiveInt(ctx, SettingMaxFieldMB, DefaultMaxFieldMB)
}

// MaxRecordMB returns the largest row of an import file in MiB (default
// 16).
func (s *Store) MaxRecordMB(ctx context.Context) (int, error) {
	return s.positiveInt(ctx, SettingMaxRecordMB, DefaultMaxRecordMB)
}

// SetMaxFieldMB stores the largest value of an import file in MiB (1 to
// 64, and at most the row limit).
func (s *Store) SetMaxFieldMB(ctx context.Context, mb int) error {
	if mb < 1 || mb > 64 {
		return apperr.New(apperr.Invalid, "the largest value must be between 1 and 64 MB, not %d", mb)
	}
	return s.SetSetting(ctx, SettingMaxFieldMB, strconv.Itoa(mb))
}

// SetMaxRecordMB stores the largest row of an import file in MiB (1 to
// 64). Memory while reading grows with it: about 8 times the limit.
func (s *Store) SetMaxRecordMB(ctx context.Context, mb int) error {
	if mb < 1 || mb > 64 {
		return apperr.New(apperr.Invalid, "the largest row must be between 1 and 64 MB, not %d", mb)
	}
	return s.SetSetting(ctx, SettingMaxRecordMB, strconv.Itoa(mb))
}

// BatchSize returns the rows per batch (default 5000).
func (s *Store) BatchSize(ctx context.Context) (int, error) {
	return s.positiveInt(ctx, SettingBatchSize, DefaultBatchSize)
}

// SetBatchSize stores the rows per batch (1 to 1,000,000).
func (s *Store) SetBatchSize(ctx context.Context, n int) error {
	if n < 1 || n > 1_000_000 {
		return apperr.New(apperr.Invalid, "the batch size must be between 1 and 1000000, not %d", n)
	}
	return s.SetSetting(ctx, SettingBatchSize, strconv.Itoa(n))
}

// positiveInt reads an integer setting, falling back to def when unset or
// unreadable.
func (s *Store) positiveInt(ctx context.Context, key string, def int) (int, error) {
	v, ok, err := s.GetSetting(ctx, key)
	if err != nil || !ok {
		return def, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def, nil
	}
	return n, nil
}
