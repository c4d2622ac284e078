package app

// DTOs crossing the Wails / HTTP boundary. Plain structs, camelCase JSON,
// times as RFC 3339 strings. frontend/src/lib/api/types.ts is generated from
// them (and every other type the surface uses): after a change, run
// `make types` (see typescript.go).

// AppInfo describes the running app.
type AppInfo struct {
	Version string `json:"version"`
	// Mode is "desktop" (Wails window) or "browser" (batchdesk serve).
	Mode    string `json:"mode"`
	DataDir string `json:"dataDir"`
	// SecretsMode is "keyring" or "file" (encrypted-file fallback).
	SecretsMode string `json:"secretsMode"`
	// StartFiles are the CSV paths given on the command line (batchdesk FILE.csv).
	StartFiles []string `json:"startFiles"`
}

// Settings are the user's preferences.
type Settings struct {
	// Language is "en" or "zh".
	Language string `json:"language"`
	// MaxFileMB is the import size limit in MiB (default 100).
	MaxFileMB int `json:"maxFileMb"`
	// BatchSize is the default import batch size (default 5000).
	BatchSize int `json:"batchSize"`
}

// Connections cross the boundary as connections.Connection, .Input and
// .Result, which are already plain camelCase DTOs.

// ObjectSummary is one row of the Objects list.
type ObjectSummary struct {
	APIName     string `json:"apiName"`
	LabelEN     string `json:"labelEn"`
	LabelZH     string `json:"labelZh"`
	Table       string `json:"table"`
	Primary     string `json:"primary"`
	Master      string `json:"master"`
	FieldCount  int    `json:"fieldCount"`
	FromCatalog bool   `json:"fromCatalog"`
}
