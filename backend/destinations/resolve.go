package destinations

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
	"batchdesk/backend/destination/ftp"
	"batchdesk/backend/destination/local"
	"batchdesk/backend/destination/oss"
	"batchdesk/backend/destination/sftp"
	"batchdesk/backend/secrets"
	"batchdesk/backend/store"
)

// Environment variables read for URLs that are not saved destinations.
const (
	EnvOSSEndpoint        = "BATCHDESK_OSS_ENDPOINT"
	EnvOSSRegion          = "BATCHDESK_OSS_REGION"
	EnvOSSAccessKeyID     = "BATCHDESK_OSS_ACCESS_KEY_ID"
	EnvOSSAccessKeySecret = "BATCHDESK_OSS_ACCESS_KEY_SECRET"
	EnvFTPPassword        = "BATCHDESK_FTP_PASSWORD"
	EnvSFTPPassword       = "BATCHDESK_SFTP_PASSWORD"
	EnvSFTPKeyPassphrase  = "BATCHDESK_SFTP_KEY_PASSPHRASE"
)

// Resolve turns a DEST string into an open destination: a saved
// destination's name (secrets from the secrets store), else a URL or
// folder (secrets from the environment). The caller closes it.
func (s *Service) Resolve(ctx context.Context, spec string) (destination.Destination, error) {
	v := strings.TrimSpace(spec)
	if v != "" && !IsURL(v) {
		d, err := s.store.GetDestination(ctx, v)
		switch {
		case err == nil:
			return s.openSaved(ctx, d)
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	sp, err := ParseSpec(v)
	if err != nil {
		return nil, err
	}
	return s.open(ctx, settings{Spec: sp, Endpoint: s.getenv(EnvOSSEndpoint), Region: s.getenv(EnvOSSRegion),
		AccessKeyID: s.getenv(EnvOSSAccessKeyID)}, fromEnv{s.getenv})
}

// Describe names a DEST for job history, without secrets: a saved
// destination as "NAME (URL)", a URL as itself, a folder as its absolute
// path.
func (s *Service) Describe(ctx context.Context, spec string) (string, error) {
	v := strings.TrimSpace(spec)
	if v != "" && !IsURL(v) {
		d, err := s.store.GetDestination(ctx, v)
		switch {
		case err == nil:
			st, err := decode(d)
			if err != nil {
				return "", err
			}
			return d.Name + " (" + st.describe() + ")", nil
		case !errors.Is(err, store.ErrNotFound):
			return "", err
		}
	}
	sp, err := ParseSpec(v)
	if err != nil {
		return "", err
	}
	if sp.Kind == KindLocal {
		if abs, err := filepath.Abs(sp.Folder); err == nil {
			return abs, nil
		}
	}
	return sp.String(), nil
}

func (st settings) describe() string {
	if st.Kind == KindOSS && st.Endpoint != "" {
		return st.Spec.String() + " at " + st.Endpoint
	}
	return st.Spec.String()
}

// secretSource gives the secrets of a destination being opened.
type secretSource interface {
	secret(kind string) (string, error)
	passphrase() (string, error)
}

// fromEnv reads secrets from the environment.
type fromEnv struct{ getenv func(string) string }

func (e fromEnv) secret(kind string) (string, error) {
	switch kind {
	case KindOSS:
		return e.getenv(EnvOSSAccessKeySecret), nil
	case KindFTP:
		return e.getenv(EnvFTPPassword), nil
	case KindSFTP:
		return e.getenv(EnvSFTPPassword), nil
	}
	return "", nil
}

func (e fromEnv) passphrase() (string, error) { return e.getenv(EnvSFTPKeyPassphrase), nil }

// fromStore reads a saved destination's secrets.
type fromStore struct {
	sec  Secrets
	name string
}

func (f fromStore) get(key string) (string, error) {
	v, err := f.sec.Get(key)
	if errors.Is(err, secrets.ErrNotFound) || apperr.CodeOf(err) == apperr.NotFound {
		return "", nil
	}
	return v, err
}

func (f fromStore) secret(string) (string, error) { return f.get(SecretKey(f.name)) }
func (f fromStore) passphrase() (string, error)   { return f.get(PassphraseKey(f.name)) }

func (s *Service) openSaved(ctx context.Context, d store.Destination) (destination.Destination, error) {
	st, err := decode(d)
	if err != nil {
		return nil, err
	}
	return s.open(ctx, st, fromStore{sec: s.secrets, name: d.Name})
}

func (s *Service) open(ctx context.Context, st settings, src secretSource) (destination.Destination, error) {
	switch st.Kind {
	case KindLocal:
		return local.New(st.Folder)
	case KindOSS:
		secret, err := src.secret(KindOSS)
		if err != nil {
			return nil, err
		}
		return oss.New(oss.Options{Endpoint: st.Endpoint, Region: st.Region, Bucket: st.Bucket, Prefix: st.Prefix,
			AccessKeyID: st.AccessKeyID, AccessKeySecret: secret})
	case KindFTP:
		pw, err := src.secret(KindFTP)
		if err != nil {
			return nil, err
		}
		return ftp.New(ftp.Options{Host: st.Host, Port: st.Port, User: st.User, Password: pw, Dir: st.Dir,
			TLS: st.TLS, InsecureSkipVerify: st.NoVerify, DisableEPSV: st.DisableEPSV})
	case KindSFTP:
		return s.openSFTP(ctx, st, src)
	}
	return nil, apperr.New(apperr.Invalid, "unknown destination kind %q", st.Kind)
}

func (s *Service) openSFTP(ctx context.Context, st settings, src secretSource) (destination.Destination, error) {
	pw, err := src.secret(KindSFTP)
	if err != nil {
		return nil, err
	}
	o := sftp.Options{Host: st.Host, Port: st.Port, User: st.User, Password: pw, Dir: st.Dir, HostKeyFingerprint: st.HostKeyHash}
	if st.KeyFile != "" {
		key, err := os.ReadFile(st.KeyFile)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "the private key file %s cannot be read", st.KeyFile)
		}
		o.PrivateKey = key
		if o.Passphrase, err = src.passphrase(); err != nil {
			return nil, err
		}
	}
	if o.HostKeyFingerprint == "" {
		k, err := s.store.GetKnownHost(ctx, st.Host, portOr(st.Port, sftp.DefaultPort))
		switch {
		case err == nil:
			o.HostKey = k.Key
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	return sftp.New(o)
}
