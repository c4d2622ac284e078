package app

// DTOs crossing the Wails / HTTP boundary. Plain structs, camelCase JSON,
// times as RFC 3339 strings. frontend/src/lib/api/types.ts mirrors this file:
// change both together.

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

// Connection is a saved CRM connection. The password is never sent out;
// HasPassword says whether one is stored in the keyring.
type Connection struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"` // "postgres" | "sandbox"
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database"`
	User     string `json:"user"`
	Schema   string `json:"schema"`
	SSLMode  string `json:"sslMode"`
	// Path is the SQLite file of a sandbox connection.
	Path        string `json:"path,omitempty"`
	HasPassword bool   `json:"hasPassword"`
	// BuiltIn marks the built-in sandbox, which cannot be removed.
	BuiltIn   bool   `json:"builtIn"`
	CreatedAt string `json:"createdAt"`
}

// ConnectionInput is what the Connections form sends to AddConnection.
// Either DSN, or the separate fields, is given.
type ConnectionInput struct {
	Name     string `json:"name"`
	DSN      string `json:"dsn"`
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database"`
	User     string `json:"user"`
	Password string `json:"password"`
	Schema   string `json:"schema"`
	SSLMode  string `json:"sslMode"`
}

// TestResult is the outcome of TestConnection: a real login.
type TestResult struct {
	OK bool `json:"ok"`
	// Code is "" when OK, else an apperr code (auth_failed, unavailable, …).
	Code          string `json:"code"`
	Message       string `json:"message"`
	ServerVersion string `json:"serverVersion"`
	Objects       int    `json:"objects"`
	Millis        int64  `json:"millis"`
}

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
