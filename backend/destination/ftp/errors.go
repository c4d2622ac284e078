package ftp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/textproto"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

// retryable reports whether an attempt's failure may pass on a new
// connection: network trouble and the server's 4xx "try again" answers.
func retryable(err error) bool {
	var te *textproto.Error
	if errors.As(err, &te) {
		var ae *apperr.Error
		return !(errors.As(err, &ae) && ae.Code != apperr.Unavailable) && te.Code >= 400 && te.Code < 500
	}
	return destination.Transient(err)
}

func (d *Dest) explainDial(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return apperr.Wrap(ctx.Err(), apperr.Canceled, "connecting to %s was canceled", d.addr())
	}
	var te *textproto.Error
	if errors.As(err, &te) && d.tls != nil {
		return apperr.Wrap(err, apperr.Unavailable, "the FTP server %s does not offer TLS (AUTH TLS answered %d): turn TLS off only if the network is trusted", d.addr(), te.Code)
	}
	if m := tlsProblem(err); m != "" {
		return apperr.Wrap(err, apperr.Unavailable, "TLS with the FTP server %s failed: %s", d.addr(), m)
	}
	return apperr.Wrap(err, apperr.Unavailable, "cannot reach the FTP server %s: %s", d.addr(), destination.Quote(err.Error()))
}

func (d *Dest) explainLogin(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return apperr.Wrap(ctx.Err(), apperr.Canceled, "logging in to %s was canceled", d.addr())
	}
	msg := strings.ToLower(err.Error())
	if d.tls == nil && (strings.Contains(msg, "encryption") || strings.Contains(msg, "tls") || strings.Contains(msg, "ssl")) {
		return apperr.Wrap(err, apperr.AuthFailed, "the FTP server %s requires TLS: turn explicit TLS on (?tls=explicit)", d.addr())
	}
	if m := tlsProblem(err); m != "" {
		return apperr.Wrap(err, apperr.Unavailable, "TLS with the FTP server %s failed: %s", d.addr(), m)
	}
	var te *textproto.Error
	if errors.As(err, &te) && te.Code != 530 && te.Code != 331 && te.Code != 332 {
		return apperr.Wrap(err, apperr.Unavailable, "logging in to the FTP server %s failed: %d %s", d.addr(), te.Code, destination.Quote(te.Msg))
	}
	return apperr.Wrap(err, apperr.AuthFailed, "the FTP server %s refused the login of %q: check the user and password", d.addr(), destination.Quote(d.opts.User))
}

// explain turns a command's failure into plain words.
func explain(err error, what string) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		switch {
		case te.Code == 522 || strings.Contains(strings.ToLower(te.Msg), "session reuse"):
			return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the server requires TLS session reuse on data connections and refused this one (%d %s)", what, te.Code, destination.Quote(te.Msg))
		case te.Code == 425:
			return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the server could not open a passive data connection — behind NAT or a firewall try EPSV off (?epsv=off)", what)
		case te.Code == 550 || te.Code == 553 || te.Code == 450:
			return apperr.Wrap(err, apperr.Unavailable, "cannot %s: permission denied or the folder is missing (%d %s)", what, te.Code, destination.Quote(te.Msg))
		case te.Code == 452 || te.Code == 552:
			return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the server is out of space (%d)", what, te.Code)
		}
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the FTP server answered %d %s", what, te.Code, destination.Quote(te.Msg))
	}
	if m := tlsProblem(err); m != "" {
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: TLS failed: %s", what, m)
	}
	return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the connection broke: %s", what, destination.Quote(err.Error()))
}

// tlsProblem names a certificate or handshake failure, or returns "".
func tlsProblem(err error) string {
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	var re tls.RecordHeaderError
	var ae tls.AlertError
	switch {
	case errors.As(err, &ue):
		return "the server's certificate is not signed by a trusted authority (a self-signed certificate? then turn certificate checks off: ?verify=off)"
	case errors.As(err, &he):
		return "the server's certificate is for another host name: " + destination.Quote(he.Error())
	case errors.As(err, &ce):
		return "the server's certificate is not valid: " + destination.Quote(ce.Error())
	case errors.As(err, &re):
		return "the server did not answer in TLS"
	case errors.As(err, &ae):
		return "the server refused the TLS handshake: " + ae.Error()
	}
	if strings.Contains(err.Error(), "tls:") {
		return destination.Quote(err.Error())
	}
	return ""
}
