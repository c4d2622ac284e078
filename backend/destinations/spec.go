package destinations

import (
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

// Kinds of destination, as stored.
const (
	KindLocal = "local"
	KindOSS   = "oss"
	KindFTP   = "ftp"
	KindSFTP  = "sftp"
)

// Spec is a parsed DEST string: a folder or a URL, never with a secret.
type Spec struct {
	Kind   string `json:"kind"`
	Folder string `json:"folder,omitempty"` // local

	Bucket string `json:"bucket,omitempty"` // oss
	Prefix string `json:"prefix,omitempty"` // oss

	User string `json:"user,omitempty"` // ftp, sftp
	Host string `json:"host,omitempty"` // ftp, sftp
	Port int    `json:"port,omitempty"` // ftp, sftp; 0 = the kind's default
	// Dir is the server folder: relative to the login folder, or absolute
	// when the URL's path starts with "//".
	Dir string `json:"dir,omitempty"`

	TLS         bool `json:"tls,omitempty"`         // ftp: ?tls=explicit
	DisableEPSV bool `json:"disableEpsv,omitempty"` // ftp: ?epsv=off
	NoVerify    bool `json:"noVerify,omitempty"`    // ftp: ?verify=off (self-signed certificates)

	KeyFile     string `json:"keyFile,omitempty"`     // sftp: ?key=PATH
	HostKeyHash string `json:"hostKeyHash,omitempty"` // sftp: ?hostkey=SHA256:…
}

// IsURL reports whether s is written as a destination URL (has "://").
func IsURL(s string) bool { return strings.Contains(s, "://") }

// ParseSpec reads a folder path or an oss://, ftp:// or sftp:// URL. A
// password or key in the URL is refused (it would end up in shell history
// and job history). Errors have code Invalid.
func ParseSpec(s string) (Spec, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Spec{}, apperr.New(apperr.Invalid, "no destination given (a folder, oss://bucket/prefix, ftp://user@host/dir, sftp://user@host/dir or a saved name)")
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		return Spec{}, apperr.New(apperr.Invalid, "the destination %q holds a control character", destination.Quote(s))
	}
	if !IsURL(s) {
		for _, k := range []string{KindOSS, KindFTP, KindSFTP} {
			if len(s) > len(k) && strings.EqualFold(s[:len(k)+1], k+":") {
				return Spec{}, apperr.New(apperr.Invalid, "write the destination as %s://…, not %q", k, destination.Quote(s))
			}
		}
		return Spec{Kind: KindLocal, Folder: s}, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return Spec{}, apperr.Wrap(err, apperr.Invalid, "the destination URL %q cannot be read", destination.Quote(s))
	}
	if u.Fragment != "" || u.Opaque != "" {
		return Spec{}, apperr.New(apperr.Invalid, "the destination URL %q has a part that is not allowed ('#' or no '//')", destination.Quote(s))
	}
	if _, has := u.User.Password(); has {
		return Spec{}, apperr.New(apperr.Invalid, "do not put a password in the destination URL: use --password-stdin, a saved destination or the BATCHDESK_*_PASSWORD variable")
	}
	switch strings.ToLower(u.Scheme) {
	case KindOSS:
		return parseOSS(u)
	case KindFTP:
		return parseServer(u, KindFTP)
	case KindSFTP:
		return parseServer(u, KindSFTP)
	}
	return Spec{}, apperr.New(apperr.Invalid, "unknown destination kind %q: use a folder, oss://, ftp:// or sftp://", destination.Quote(u.Scheme))
}

func parseOSS(u *url.URL) (Spec, error) {
	if u.User != nil || u.Port() != "" || len(u.Query()) > 0 || u.ForceQuery {
		return Spec{}, apperr.New(apperr.Invalid, "write an OSS destination as oss://bucket/prefix (endpoint, region and keys come from flags, a saved destination or BATCHDESK_OSS_*)")
	}
	bucket := u.Hostname()
	if bucket == "" {
		return Spec{}, apperr.New(apperr.Invalid, "an OSS destination needs a bucket: oss://bucket/prefix")
	}
	prefix, err := cleanDir(u.Path, false)
	if err != nil {
		return Spec{}, err
	}
	return Spec{Kind: KindOSS, Bucket: bucket, Prefix: strings.TrimPrefix(prefix, "/")}, nil
}

func parseServer(u *url.URL, kind string) (Spec, error) {
	sp := Spec{Kind: kind, Host: u.Hostname()}
	if sp.Host == "" {
		return Spec{}, apperr.New(apperr.Invalid, "the %s destination needs a host: %s://user@host[:port]/dir", kind, kind)
	}
	if strings.ContainsAny(sp.Host, "/@ %") {
		return Spec{}, apperr.New(apperr.Invalid, "the host %q is not a host name", destination.Quote(sp.Host))
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Spec{}, apperr.New(apperr.Invalid, "the port %q is not a number between 1 and 65535", destination.Quote(p))
		}
		sp.Port = n
	}
	if u.User != nil {
		sp.User = u.User.Username()
		if strings.ContainsFunc(sp.User, func(r rune) bool { return unicode.IsControl(r) || r == ' ' }) {
			return Spec{}, apperr.New(apperr.Invalid, "the user name %q holds a space or control character", destination.Quote(sp.User))
		}
	}
	if kind == KindSFTP && sp.User == "" {
		return Spec{}, apperr.New(apperr.Invalid, "an SFTP destination needs a user: sftp://user@host/dir")
	}
	dir, err := cleanDir(u.Path, true)
	if err != nil {
		return Spec{}, err
	}
	sp.Dir = dir
	for key, vals := range u.Query() {
		if len(vals) != 1 {
			return Spec{}, apperr.New(apperr.Invalid, "the option %q is given %d times", destination.Quote(key), len(vals))
		}
		v := vals[0]
		switch {
		case kind == KindFTP && key == "tls":
			switch v {
			case "explicit", "on", "true":
				sp.TLS = true
			case "off", "false", "":
			default:
				return Spec{}, apperr.New(apperr.Invalid, "tls must be explicit or off, not %q", destination.Quote(v))
			}
		case kind == KindFTP && key == "epsv":
			switch v {
			case "off", "false":
				sp.DisableEPSV = true
			case "on", "true":
			default:
				return Spec{}, apperr.New(apperr.Invalid, "epsv must be on or off, not %q", destination.Quote(v))
			}
		case kind == KindFTP && key == "verify":
			switch v {
			case "off", "false":
				sp.NoVerify = true
			case "on", "true":
			default:
				return Spec{}, apperr.New(apperr.Invalid, "verify must be on or off, not %q", destination.Quote(v))
			}
		case kind == KindSFTP && key == "key":
			if v == "" || strings.ContainsFunc(v, unicode.IsControl) {
				return Spec{}, apperr.New(apperr.Invalid, "key= needs the path of a private key file")
			}
			sp.KeyFile = v
		case kind == KindSFTP && key == "hostkey":
			// A pasted fingerprint's '+' arrives as a space; it has none.
			v = strings.ReplaceAll(v, " ", "+")
			if !strings.HasPrefix(v, "SHA256:") || len(v) < 20 || strings.ContainsAny(v, " \t") {
				return Spec{}, apperr.New(apperr.Invalid, "hostkey must be a SHA256 fingerprint (SHA256:…), as ssh-keygen -lf shows it")
			}
			sp.HostKeyHash = v
		default:
			return Spec{}, apperr.New(apperr.Invalid, "unknown option %q for a %s destination", destination.Quote(key), kind)
		}
	}
	if sp.NoVerify && !sp.TLS {
		return Spec{}, apperr.New(apperr.Invalid, "verify=off only makes sense with tls=explicit")
	}
	return sp, nil
}

// cleanDir checks a URL path: no "..", "." or empty element. With
// absoluteMarker, "//abs" means the absolute folder "/abs" and "/rel" the
// folder "rel" under the login folder.
func cleanDir(p string, absoluteMarker bool) (string, error) {
	abs := false
	if absoluteMarker && strings.HasPrefix(p, "//") {
		abs = true
		p = p[1:]
	}
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		if abs {
			return "/", nil
		}
		return "", nil
	}
	if strings.ContainsAny(p, "\\") || strings.ContainsFunc(p, unicode.IsControl) {
		return "", apperr.New(apperr.Invalid, "the folder %q holds a character that is not allowed", destination.Quote(p))
	}
	for _, el := range strings.Split(p, "/") {
		if el == "" || el == "." || el == ".." {
			return "", apperr.New(apperr.Invalid, "the folder %q has an empty, \".\" or \"..\" part", destination.Quote(p))
		}
	}
	p = path.Clean(p)
	if abs {
		p = "/" + p
	}
	return p, nil
}

// String writes the spec back as a DEST string (no secrets: it has none).
func (sp Spec) String() string {
	switch sp.Kind {
	case KindLocal:
		return sp.Folder
	case KindOSS:
		return "oss://" + sp.Bucket + "/" + escapePath(sp.Prefix)
	}
	u := url.URL{Scheme: sp.Kind, Host: sp.Host}
	if sp.Port != 0 {
		u.Host = joinHostPort(sp.Host, sp.Port)
	} else if strings.Contains(sp.Host, ":") {
		u.Host = "[" + sp.Host + "]"
	}
	if sp.User != "" {
		u.User = url.User(sp.User)
	}
	q := url.Values{}
	if sp.TLS {
		q.Set("tls", "explicit")
	}
	if sp.DisableEPSV {
		q.Set("epsv", "off")
	}
	if sp.NoVerify {
		q.Set("verify", "off")
	}
	if sp.KeyFile != "" {
		q.Set("key", sp.KeyFile)
	}
	if sp.HostKeyHash != "" {
		q.Set("hostkey", sp.HostKeyHash)
	}
	u.RawQuery = q.Encode()
	s := u.String()
	if i := strings.IndexAny(s, "?"); i >= 0 {
		return s[:i] + "/" + escapePath(strings.TrimPrefix(sp.Dir, "/"), sp.Dir) + s[i:]
	}
	return s + "/" + escapePath(strings.TrimPrefix(sp.Dir, "/"), sp.Dir)
}

// escapePath escapes a folder for a URL; with orig starting with "/", the
// result is marked absolute ("/" + path gives "//path" after the host).
func escapePath(p string, orig ...string) string {
	var b strings.Builder
	if len(orig) > 0 && strings.HasPrefix(orig[0], "/") {
		b.WriteString("/")
	}
	for i, el := range strings.Split(p, "/") {
		if i > 0 {
			b.WriteString("/")
		}
		b.WriteString(url.PathEscape(el))
	}
	return b.String()
}

func joinHostPort(host string, port int) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]:" + strconv.Itoa(port)
	}
	return host + ":" + strconv.Itoa(port)
}
