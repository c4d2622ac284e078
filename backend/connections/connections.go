// Package connections manages saved CRM connections over the app's store
// (the fields), the secrets store (the passwords) and crm (the real login).
//
// In: an Input (a postgres:// URL, or host/port/database/user/password/
// schema/sslmode fields) to Add; a name, "sandbox", "sandbox:PATH" or a URL
// to Resolve — what the CLI's `--crm C` means. Out: Connection values for
// people (never with a password), crm.Spec values for crm.Open, and Result
// values from Test.
//
// A password given to Add — inside the URL or as a field — goes to the
// secrets store under "connection:NAME" and is stripped from what is saved.
// The built-in sandbox ("sandbox", $BATCHDESK_HOME/sandbox.db) is always
// listed first and cannot be removed.
//
// Errors are *apperr.Error: Invalid (bad name, URL or field), Conflict
// (duplicate name; removing the sandbox), NotFound (unknown name),
// AuthFailed (VerifyPassword with a wrong password), Unavailable (the server
// cannot be reached). Test reports login failures in its Result, not as an
// error.
package connections

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"batchdesk/backend/appdir"
	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/store"
)

// Secrets is what the service needs of the secrets store (*secrets.Store).
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
	Has(key string) (bool, error)
}

// Input is a connection to add: Name plus either DSN or the separate fields.
// With a DSN, Password (when not empty) overrides the URL's password.
type Input struct {
	Name     string `json:"name"`
	DSN      string `json:"dsn,omitempty"` // postgres://user[:pass]@host[:port]/db[?sslmode=&search_path=] or sandbox:PATH
	Host     string `json:"host,omitempty"`
	Port     int    `json:"port,omitempty"` // 0 = 5432
	Database string `json:"database,omitempty"`
	User     string `json:"user,omitempty"`
	Password string `json:"password,omitempty"` // stored in the secrets store only
	Schema   string `json:"schema,omitempty"`   // search_path
	SSLMode  string `json:"sslMode,omitempty"`  // libpq sslmode; "" = driver default (prefer)
	// Zone is the IANA time zone (Asia/Shanghai) of datetimes the files
	// write without one; "" = the computer's.
	Zone string `json:"zone,omitempty"`
}

// Connection is a saved (or the built-in) connection as people see it.
type Connection struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"` // "postgres" or "sandbox"
	Host        string `json:"host,omitempty"`
	Port        int    `json:"port,omitempty"`
	Database    string `json:"database,omitempty"`
	User        string `json:"user,omitempty"`
	Schema      string `json:"schema,omitempty"`
	SSLMode     string `json:"sslMode,omitempty"`
	Path        string `json:"path,omitempty"` // sandbox file
	Zone        string `json:"zone,omitempty"` // IANA time zone for datetimes without one ("" = the computer's)
	URL         string `json:"url,omitempty"`  // postgres:// URL without password
	BuiltIn     bool   `json:"builtIn"`
	HasPassword bool   `json:"hasPassword"`
	CreatedAt   string `json:"createdAt,omitempty"` // RFC 3339; "" for the built-in
}

// Result is the outcome of Test: a real login, a ping and a count of the
// objects. Code and Message say why when OK is false.
type Result struct {
	OK            bool   `json:"ok"`
	Code          string `json:"code,omitempty"` // an apperr code when !OK
	Message       string `json:"message"`
	Target        string `json:"target,omitempty"` // crm.Target.Describe()
	ServerVersion string `json:"serverVersion,omitempty"`
	Objects       int    `json:"objects"`
	Millis        int64  `json:"millis"`
}

// Service manages connections. It is safe for concurrent use.
type Service struct {
	store   *store.Store
	secrets Secrets
	open    func(context.Context, crm.Spec) (crm.Target, error)
	sandbox func() (string, error)
}

// New returns a Service over the app's store and secrets.
func New(st *store.Store, sec Secrets) *Service {
	return &Service{store: st, secrets: sec, open: crm.Open, sandbox: appdir.SandboxPath}
}

// SecretKey is the secrets-store key holding a connection's password.
func SecretKey(name string) string { return "connection:" + name }

// Add validates and saves a connection, its password going to the secrets
// store. A taken name gives Conflict.
func (s *Service) Add(ctx context.Context, in Input) (Connection, error) {
	name := strings.TrimSpace(in.Name)
	if err := ValidateName(name); err != nil {
		return Connection{}, err
	}
	c, password, err := fromInput(name, in)
	if err != nil {
		return Connection{}, err
	}
	if c.Zone, err = checkZone(in.Zone); err != nil {
		return Connection{}, err
	}
	if _, err := s.store.GetConnection(ctx, name); err == nil {
		return Connection{}, apperr.New(apperr.Conflict, "a connection named %q already exists", name)
	} else if !errors.Is(err, store.ErrNotFound) {
		return Connection{}, err
	}
	saved, err := s.store.AddConnection(ctx, c)
	if err != nil {
		return Connection{}, err
	}
	key := SecretKey(name)
	if password != "" {
		err = s.secrets.Set(key, password)
	} else {
		err = s.secrets.Delete(key) // a stale secret of a connection removed half-way
	}
	if err != nil {
		_ = s.store.DeleteConnection(ctx, name)
		return Connection{}, fmt.Errorf("save the password of %q: %w", name, err)
	}
	return toConnection(saved, password != ""), nil
}

// fromInput turns an Input into the row to save and the password.
func fromInput(name string, in Input) (store.Connection, string, error) {
	if strings.TrimSpace(in.DSN) != "" {
		if in.Host != "" || in.Port != 0 || in.Database != "" || in.User != "" || in.Schema != "" || in.SSLMode != "" {
			return store.Connection{}, "", apperr.New(apperr.Invalid, "give either a connection URL or the separate fields, not both")
		}
		c, password, err := parseDSN(name, in.DSN)
		if err != nil {
			return c, "", err
		}
		if in.Password != "" {
			password = in.Password
		}
		if c.Kind == "sandbox" && password != "" {
			return c, "", apperr.New(apperr.Invalid, "a sandbox file has no password")
		}
		return c, password, nil
	}
	c := store.Connection{Name: name, Kind: "postgres", Host: in.Host, Port: in.Port, Database: in.Database,
		User: strings.TrimSpace(in.User), Schema: strings.TrimSpace(in.Schema), SSLMode: strings.TrimSpace(in.SSLMode)}
	if err := checkFields(&c); err != nil {
		return c, "", err
	}
	return c, in.Password, nil
}

// checkZone is a time zone as saved: an IANA name time knows ("" stays "").
func checkZone(zone string) (string, error) {
	z := strings.TrimSpace(zone)
	if z == "" {
		return "", nil
	}
	if _, err := time.LoadLocation(z); err != nil || strings.EqualFold(z, "local") {
		return "", apperr.New(apperr.Invalid, "%q is not a time zone: give an IANA name such as Asia/Shanghai or UTC", quoteShort(z)).For("zone")
	}
	return z, nil
}

// quoteShort cuts user text to about 100 characters for a message.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}

func toConnection(c store.Connection, hasPassword bool) Connection {
	out := Connection{Name: c.Name, Kind: c.Kind, Host: c.Host, Port: c.Port, Database: c.Database, User: c.User,
		Schema: c.Schema, SSLMode: c.SSLMode, Path: c.Path, Zone: c.Zone, HasPassword: hasPassword}
	if !c.CreatedAt.IsZero() {
		out.CreatedAt = c.CreatedAt.UTC().Format(time.RFC3339)
	}
	if c.Kind == crm.KindPostgres {
		out.URL = buildURL(c)
	}
	return out
}

// builtIn is the sandbox connection.
func (s *Service) builtIn() (Connection, error) {
	p, err := s.sandbox()
	if err != nil {
		return Connection{}, fmt.Errorf("locate the sandbox: %w", err)
	}
	return Connection{Name: SandboxName, Kind: crm.KindSandbox, Path: p, BuiltIn: true}, nil
}

// sandboxCopies lists the sandbox copies (crm.SandboxesDir next to the
// built-in sandbox) as connections named "sandbox:NAME", usable as --crm.
func sandboxCopies(home string) []Connection {
	dir := filepath.Join(home, crm.SandboxesDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // no copies yet
	}
	var out []Connection
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".db")
		if ok && !e.IsDir() && crm.ValidSandboxName(name) {
			out = append(out, Connection{Name: "sandbox:" + name, Kind: crm.KindSandbox,
				Path: filepath.Join(dir, e.Name()), BuiltIn: true})
		}
	}
	return out
}

// List returns the built-in sandbox first, then the sandbox copies, then the
// saved connections by name, each with HasPassword from the secrets store.
func (s *Service) List(ctx context.Context) ([]Connection, error) {
	sb, err := s.builtIn()
	if err != nil {
		return nil, err
	}
	saved, err := s.store.ListConnections(ctx)
	if err != nil {
		return nil, err
	}
	out := append([]Connection{sb}, sandboxCopies(filepath.Dir(sb.Path))...)
	for _, c := range saved {
		has, err := s.secrets.Has(SecretKey(c.Name))
		if err != nil {
			return nil, fmt.Errorf("check the password of %q: %w", c.Name, err)
		}
		out = append(out, toConnection(c, has))
	}
	return out, nil
}

// Get returns one connection by name (the sandbox included), or NotFound.
func (s *Service) Get(ctx context.Context, name string) (Connection, error) {
	if strings.EqualFold(name, SandboxName) {
		return s.builtIn()
	}
	c, err := s.store.GetConnection(ctx, name)
	if err != nil {
		return Connection{}, err
	}
	has, err := s.secrets.Has(SecretKey(name))
	if err != nil {
		return Connection{}, fmt.Errorf("check the password of %q: %w", name, err)
	}
	return toConnection(c, has), nil
}

// Remove deletes a saved connection and its password. The built-in sandbox
// gives Conflict; an unknown name gives NotFound.
func (s *Service) Remove(ctx context.Context, name string) error {
	if strings.EqualFold(name, SandboxName) {
		return apperr.New(apperr.Conflict, "the built-in sandbox cannot be removed")
	}
	if err := s.store.DeleteConnection(ctx, name); err != nil {
		return err
	}
	if err := s.secrets.Delete(SecretKey(name)); err != nil {
		return fmt.Errorf("delete the password of %q: %w", name, err)
	}
	return nil
}

// Resolve turns what `--crm C` says into a crm.Spec: a saved connection's
// name (password from the secrets store), "sandbox" (the built-in),
// "sandbox:PATH", or a postgres:// URL (password from the URL, else
// PGPASSWORD). An unknown name gives NotFound.
func (s *Service) Resolve(ctx context.Context, nameOrSpec string) (crm.Spec, error) {
	v := strings.TrimSpace(nameOrSpec)
	if v == "" {
		return crm.Spec{}, apperr.New(apperr.Invalid, "no CRM connection given (a saved name, sandbox, sandbox:PATH or a postgres:// URL)")
	}
	if strings.EqualFold(v, SandboxName) {
		return crm.Spec{Kind: crm.KindSandbox}, nil
	}
	if !looksLikeSpec(v) {
		c, err := s.store.GetConnection(ctx, v)
		if errors.Is(err, store.ErrNotFound) {
			return crm.Spec{}, apperr.Wrap(err, apperr.NotFound,
				"no saved connection named %q (give a saved name, sandbox, sandbox:PATH or a postgres:// URL)", v)
		}
		if err != nil {
			return crm.Spec{}, err
		}
		return s.specOf(c)
	}
	spec, err := crm.ParseSpec(v)
	if err != nil {
		return crm.Spec{}, err
	}
	if spec.Kind == crm.KindPostgres && spec.Password == "" && !urlHasPassword(v) {
		spec.Password = os.Getenv("PGPASSWORD")
	}
	return spec, nil
}

// looksLikeSpec reports whether v is a sandbox file or a URL rather than a
// name (ValidateName keeps names from looking like either).
func looksLikeSpec(v string) bool {
	return hasPrefixFold(v, SandboxName+":") || strings.Contains(v, "://")
}

func urlHasPassword(v string) bool {
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		return false
	}
	_, ok := u.User.Password()
	return ok
}

// specOf builds the crm.Spec of a saved connection.
func (s *Service) specOf(c store.Connection) (crm.Spec, error) {
	if c.Kind == crm.KindSandbox {
		return crm.Spec{Kind: crm.KindSandbox, Path: c.Path, Zone: c.Zone}, nil
	}
	password, err := s.secrets.Get(SecretKey(c.Name))
	if apperr.CodeOf(err) == apperr.NotFound {
		password, err = "", nil // no saved password: the driver may still use PGPASSWORD or ~/.pgpass
	}
	if err != nil {
		return crm.Spec{}, fmt.Errorf("read the password of %q: %w", c.Name, err)
	}
	return crm.Spec{Kind: crm.KindPostgres, DSN: buildURL(c), Password: password, Zone: c.Zone}, nil
}
