package crm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"batchdesk/backend/apperr"
)

// Spec says which CRM to open.
type Spec struct {
	// Kind is KindPostgres or KindSandbox.
	Kind string
	// DSN is the postgres:// URL (Kind postgres).
	DSN string
	// Password overrides the URL's password when not empty (Kind postgres).
	Password string
	// Path is the sandbox file; "" means the built-in sandbox,
	// appdir.SandboxPath() (Kind sandbox), unless Name is set.
	Path string
	// Name is a sandbox copy's name: the file sandboxes/NAME.db in the data
	// folder (SandboxCopyPath), which must exist (Kind sandbox).
	Name string
	// Zone is the connection's IANA time zone, for datetimes written
	// without one ("" = the computer's). Opening ignores it; imports use it.
	Zone string
}

// SandboxesDir is the data folder's sub-folder of sandbox copies.
const SandboxesDir = "sandboxes"

// ValidSandboxName reports whether name can name a sandbox copy: 1 to 64
// letters, digits, '_', '-' or '.', starting with a letter or digit, and not
// ending in ".db" (that is a file).
func ValidSandboxName(name string) bool {
	if name == "" || len(name) > 64 || strings.HasSuffix(strings.ToLower(name), ".db") {
		return false
	}
	for i, r := range name {
		ok := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
			(i > 0 && (r == '_' || r == '-' || r == '.'))
		if !ok {
			return false
		}
	}
	return true
}

// String describes the spec for people: the URL without its password, or
// the sandbox file.
func (s Spec) String() string {
	switch s.Kind {
	case KindSandbox:
		if s.Name != "" {
			return "sandbox:" + s.Name
		}
		if s.Path == "" {
			return "sandbox"
		}
		return "sandbox:" + s.Path
	case KindPostgres:
		u, err := url.Parse(s.DSN)
		if err != nil {
			return "postgres (unparsable URL)"
		}
		return u.Redacted()
	}
	return "(no CRM)"
}

// ParseSpec reads a --crm value: "sandbox" (the built-in sandbox),
// "sandbox:NAME" (a sandbox copy: a name without a slash or ".db", see
// ValidSandboxName), "sandbox:PATH" (a sandbox file), or a "postgres://" /
// "postgresql://" URL.
// Anything else is an *apperr.Error with code Invalid. The URL is checked for
// shape only (scheme, host, port); Open does the rest. Error messages never
// repeat a password.
func ParseSpec(s string) (Spec, error) {
	if strings.ContainsFunc(s, func(r rune) bool { return r == 0 || (unicode.IsControl(r) && r != '\t') }) {
		return Spec{}, apperr.New(apperr.Invalid, "CRM %s contains control characters", quoteSafe(s))
	}
	trimmed := strings.TrimSpace(s)
	lower := strings.ToLower(trimmed)
	switch {
	case trimmed == "":
		return Spec{}, apperr.New(apperr.Invalid, `no CRM given: use "sandbox", "sandbox:PATH" or a postgres:// URL`)
	case lower == "sandbox":
		return Spec{Kind: KindSandbox}, nil
	case strings.HasPrefix(lower, "sandbox:"):
		path := trimmed[len("sandbox:"):]
		if strings.TrimSpace(path) == "" {
			return Spec{}, apperr.New(apperr.Invalid, `"sandbox:" needs a file path, e.g. sandbox:/path/to/copy.db`)
		}
		if ValidSandboxName(path) {
			return Spec{Kind: KindSandbox, Name: path}, nil
		}
		return Spec{Kind: KindSandbox, Path: path}, nil
	case strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://"):
		if err := checkURL(trimmed); err != nil {
			return Spec{}, err
		}
		return Spec{Kind: KindPostgres, DSN: trimmed}, nil
	}
	return Spec{}, apperr.New(apperr.Invalid,
		`unknown CRM %s: use "sandbox", "sandbox:PATH" or a postgres://user@host:port/database URL`, quoteSafe(trimmed))
}

// checkURL checks the shape of a PostgreSQL URL.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		reason := "it cannot be parsed"
		var ue *url.Error
		if errors.As(err, &ue) {
			reason = ue.Err.Error()
			if pw := userinfoPassword(s); pw != "" {
				reason = strings.ReplaceAll(reason, pw, "xxxxx")
			}
		}
		return apperr.Wrap(err, apperr.Invalid, "invalid PostgreSQL URL: %s", reason)
	}
	if u.Opaque != "" {
		return apperr.New(apperr.Invalid, "invalid PostgreSQL URL: expected postgres://host/database")
	}
	for _, h := range strings.Split(u.Host, ",") { // pgx accepts host1:port1,host2:port2
		if h == "" {
			continue
		}
		host, port := h, ""
		if strings.Contains(h, ":") {
			var err error
			if host, port, err = net.SplitHostPort(h); err != nil {
				return apperr.New(apperr.Invalid, "invalid PostgreSQL URL: bad host:port %s", quoteSafe(h))
			}
		}
		if strings.ContainsAny(host, "/@ ") {
			return apperr.New(apperr.Invalid, "invalid PostgreSQL URL: bad host %s", quoteSafe(host))
		}
		if port != "" {
			n, err := strconv.Atoi(port)
			if err != nil || n < 1 || n > 65535 {
				return apperr.New(apperr.Invalid, "invalid PostgreSQL URL: port %s is not a number from 1 to 65535", quoteSafe(port))
			}
		}
	}
	if strings.Count(strings.Trim(u.Path, "/"), "/") > 0 {
		return apperr.New(apperr.Invalid, "invalid PostgreSQL URL: the path must be just the database name")
	}
	if _, err := url.ParseQuery(u.RawQuery); err != nil {
		return apperr.New(apperr.Invalid, "invalid PostgreSQL URL: bad query parameters")
	}
	return nil
}

// userinfoPassword returns what looks like the password in "scheme://user:pw@…".
func userinfoPassword(s string) string {
	rest := s[strings.Index(s, "://")+3:]
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	if c := strings.Index(rest[:at], ":"); c >= 0 {
		return rest[c+1 : at]
	}
	return ""
}

// quoteSafe quotes s for an error message, unless it may hold a password
// (it has an "@" or a "password" parameter), and shortens long input.
func quoteSafe(s string) string {
	l := strings.ToLower(s)
	if strings.Contains(l, "@") || strings.Contains(l, "password") {
		return "(not shown: it may contain a password)"
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// WithoutPassword drops the password of a CRM spec given as a URL (or of any
// other URL, such as a destination's): settings and the job history are
// saved, passwords are not (a resume takes it from PGPASSWORD, the keyring
// or a new spec). A spec without "://" or without a password is returned as is.
func WithoutPassword(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); !ok {
		return s
	}
	u.User = url.User(u.User.Username())
	return u.String()
}
