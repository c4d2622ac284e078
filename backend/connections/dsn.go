package connections

import (
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// MaxNameRunes is the longest accepted connection name.
const MaxNameRunes = 64

// SandboxName is the built-in sandbox connection's reserved name.
const SandboxName = "sandbox"

// DefaultPort is PostgreSQL's port, used when none is given.
const DefaultPort = 5432

// sslModes are libpq's sslmode values.
var sslModes = map[string]bool{"disable": true, "allow": true, "prefer": true, "require": true,
	"verify-ca": true, "verify-full": true}

// ValidateName checks a connection name: not empty, at most 64 characters,
// valid UTF-8 with no control characters, no leading or trailing space, and
// not something `--crm` would read otherwise ("sandbox", "sandbox:…", a
// URL). The error has code Invalid.
func ValidateName(name string) error {
	switch {
	case name == "":
		return apperr.New(apperr.Invalid, "a connection needs a name")
	case !utf8.ValidString(name):
		return apperr.New(apperr.Invalid, "the connection name is not valid text")
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return apperr.New(apperr.Invalid, "the connection name is longer than %d characters", MaxNameRunes)
	case strings.TrimSpace(name) != name:
		return apperr.New(apperr.Invalid, "the connection name %q starts or ends with a space", name)
	case strings.EqualFold(name, SandboxName):
		return apperr.New(apperr.Invalid, "%q is the built-in sandbox's name: choose another", name)
	case hasPrefixFold(name, SandboxName+":"):
		return apperr.New(apperr.Invalid, "the connection name %q would be read as a sandbox file: choose another", name)
	case strings.Contains(name, "://"):
		return apperr.New(apperr.Invalid, "the connection name %q would be read as a URL: choose another", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return apperr.New(apperr.Invalid, "the connection name %q contains a control character", name)
		}
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// parseDSN reads a connection URL given to Add: "postgres://user[:pass]@host
// [:port]/db[?sslmode=…&search_path=…]" or "sandbox:PATH". It returns the
// connection to save (no password in it) and the password found in the URL.
func parseDSN(name, dsn string) (store.Connection, string, error) {
	c := store.Connection{Name: name}
	dsn = strings.TrimSpace(dsn)
	if hasPrefixFold(dsn, SandboxName+":") && !strings.HasPrefix(dsn[len(SandboxName)+1:], "//") {
		p := strings.TrimSpace(dsn[len(SandboxName)+1:])
		if p == "" || strings.ContainsFunc(p, unicode.IsControl) {
			return c, "", apperr.New(apperr.Invalid, "sandbox: needs a file path, as in sandbox:/path/to/copy.db")
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return c, "", apperr.Wrap(err, apperr.Invalid, "the sandbox path %q cannot be made absolute", p)
		}
		c.Kind, c.Path = "sandbox", abs
		return c, "", nil
	}
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Opaque != "" {
		return c, "", apperr.New(apperr.Invalid,
			"a connection URL looks like postgres://user:password@host:5432/database (or sandbox:PATH)")
	}
	c.Kind = "postgres"
	var password string
	if u.User != nil {
		c.User = u.User.Username()
		password, _ = u.User.Password()
	}
	if strings.Contains(u.Host, ",") {
		return c, "", apperr.New(apperr.Invalid, "a saved connection names one host; this URL names several")
	}
	c.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return c, "", apperr.New(apperr.Invalid, "the port %q is not a number", p)
		}
		c.Port = n
	}
	c.Database = strings.TrimPrefix(u.Path, "/")
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return c, "", apperr.New(apperr.Invalid, "the URL's parameters cannot be read")
	}
	for k, vs := range q {
		v := vs[len(vs)-1]
		switch k {
		case "sslmode":
			c.SSLMode = v
		case "search_path":
			c.Schema = v
		default:
			return c, "", apperr.New(apperr.Invalid,
				"the URL parameter %q is not kept in a saved connection (only sslmode and search_path are)", k)
		}
	}
	if err := checkFields(&c); err != nil {
		return c, "", err
	}
	return c, password, nil
}

// checkFields validates a postgres connection's fields and fills defaults.
func checkFields(c *store.Connection) error {
	c.Host = strings.TrimSpace(c.Host)
	if c.Host == "" {
		return apperr.New(apperr.Invalid, "the connection needs a host")
	}
	if strings.ContainsFunc(c.Host, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' || r == ',' }) {
		return apperr.New(apperr.Invalid, "the host %q is not a host name or address", c.Host)
	}
	if strings.Contains(c.Host, ":") && net.ParseIP(c.Host) == nil {
		return apperr.New(apperr.Invalid, "the host %q is not a valid IPv6 address", c.Host)
	}
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.Port < 1 || c.Port > 65535 {
		return apperr.New(apperr.Invalid, "the port must be between 1 and 65535, not %d", c.Port)
	}
	if c.Database == "" {
		return apperr.New(apperr.Invalid, "the connection needs a database name")
	}
	if c.User == "" {
		return apperr.New(apperr.Invalid, "the connection needs a user name")
	}
	if c.SSLMode != "" && !sslModes[c.SSLMode] {
		return apperr.New(apperr.Invalid,
			"sslmode must be disable, allow, prefer, require, verify-ca or verify-full, not %q", c.SSLMode)
	}
	for _, f := range []string{c.Database, c.User, c.Schema} {
		if strings.ContainsFunc(f, unicode.IsControl) || !utf8.ValidString(f) {
			return apperr.New(apperr.Invalid, "database, user and schema may not contain control characters")
		}
	}
	return nil
}

// buildURL is the connection's postgres:// URL, never with a password.
func buildURL(c store.Connection) string {
	u := url.URL{Scheme: "postgres", User: url.User(c.User),
		Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), Path: "/" + c.Database}
	q := url.Values{}
	if c.SSLMode != "" {
		q.Set("sslmode", c.SSLMode)
	}
	if c.Schema != "" {
		q.Set("search_path", c.Schema)
	}
	u.RawQuery = q.Encode()
	return u.String()
}
