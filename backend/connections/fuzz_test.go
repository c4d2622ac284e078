package connections

import (
	"net/url"
	"testing"
)

// FuzzParseDSN checks that any connection URL either is refused with a coded
// error or gives a connection that holds no password and whose rebuilt URL
// parses back to the same connection.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{
		"postgres://u:p@h:5432/db?sslmode=require&search_path=crm",
		"postgresql://user@[::1]:6543/crm",
		"postgres://u:p%40ss@h/db",
		"postgres://%E5%AE%A2:pw@h/d%20b?search_path=a,b",
		"sandbox:/tmp/x.db",
		"postgres://u@h1,h2/db",
		"postgres://u:@h/db?x=1",
		"mysql://u@h/db",
		"postgres:///db",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		c, pw, err := parseDSN("n", dsn)
		if err != nil {
			return
		}
		if c.Kind == "sandbox" {
			if c.Path == "" || pw != "" {
				t.Fatalf("sandbox %q: %+v %q", dsn, c, pw)
			}
			return
		}
		rebuilt := buildURL(c)
		if u, err := url.Parse(rebuilt); err != nil {
			t.Fatalf("rebuilt URL %q does not parse: %v", rebuilt, err)
		} else if _, has := u.User.Password(); has {
			t.Fatalf("rebuilt URL %q has a password", rebuilt)
		}
		back, pw2, err := parseDSN("n", rebuilt)
		if err != nil {
			t.Fatalf("rebuilt URL %q refused: %v (from %q)", rebuilt, err, dsn)
		}
		if pw2 != "" {
			t.Fatalf("rebuilt URL %q carries a password", rebuilt)
		}
		if back != c {
			t.Fatalf("round trip of %q:\n got %+v\nwant %+v", dsn, back, c)
		}
	})
}
