// Package oss publishes export files to an Aliyun OSS bucket with
// github.com/aliyun/aliyun-oss-go-sdk, signing every request with OSS's V4
// signature (the SDK defaults to V1, which OSS refuses for accounts made
// since March 2025 and buckets made since September 2025).
//
// In: Options (endpoint, region, bucket, prefix, access key id and secret)
// and, per file, a name under the prefix and a reader. A stream that fits in
// one part (8 MiB by default) is sent as one PUT; a longer one as a multipart
// upload with at most Parallel parts in memory and in flight, each part
// retried with backoff on a 5xx, a timeout or a dropped connection (the SDK's
// own RetryTimes setting is never read). If the upload fails or is canceled,
// the multipart upload is aborted, so no object and no orphan parts remain.
// After the upload the object's size and CRC-64 (x-oss-hash-crc64ecma) are
// read back and compared with what was sent; a mismatch deletes the object.
// Out: destination.Published with Location "oss://bucket/key".
//
// Errors are *apperr.Error: Invalid (bad options), AuthFailed (unknown key
// id, wrong secret or region, access denied), Unavailable (endpoint
// unreachable, bucket missing, OSS failing after the retries, a checked size
// or CRC that differs), Canceled.
package oss

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

var _ destination.Destination = (*Dest)(nil)

// Defaults of Options.
const (
	DefaultPartSize = 8 << 20
	DefaultParallel = 2
	DefaultRetries  = 4
	DefaultBackoff  = 500 * time.Millisecond
	// MinPartSize is OSS's smallest part but the last.
	MinPartSize = 100 << 10
	// MaxParts is OSS's limit of parts per upload.
	MaxParts = 10000
)

// Options say where and how to upload.
type Options struct {
	Endpoint        string // "oss-cn-hangzhou.aliyuncs.com", "https://…" or "http://127.0.0.1:9000"; no scheme means https
	Region          string // "cn-hangzhou"; "" = read from an Aliyun endpoint
	Bucket          string
	Prefix          string // key prefix, e.g. "exports/2026"; "/" is added between it and the name
	AccessKeyID     string
	AccessKeySecret string

	PartSize int64         // bytes per part; 0 = DefaultPartSize, at least MinPartSize
	Parallel int           // parts in flight (and in memory); 0 = DefaultParallel
	Retries  int           // extra attempts per request; 0 = DefaultRetries, negative = none
	Backoff  time.Duration // wait before the first retry, doubled each time; 0 = DefaultBackoff
}

// Dest is an OSS bucket and prefix.
type Dest struct {
	opts     Options
	endpoint string
	bucket   *oss.Bucket
}

// New checks the options and builds the client; nothing is sent until Put
// or Test.
func New(o Options) (*Dest, error) {
	o.Bucket = strings.TrimSpace(o.Bucket)
	o.Prefix = strings.Trim(o.Prefix, "/")
	if o.Bucket == "" {
		return nil, apperr.New(apperr.Invalid, "an OSS destination needs a bucket")
	}
	if o.AccessKeyID == "" || o.AccessKeySecret == "" {
		return nil, apperr.New(apperr.Invalid, "an OSS destination needs an access key id and secret (BATCHDESK_OSS_ACCESS_KEY_ID and BATCHDESK_OSS_ACCESS_KEY_SECRET, or a saved destination)")
	}
	endpoint, host, err := normalizeEndpoint(o.Endpoint)
	if err != nil {
		return nil, err
	}
	if o.Region == "" {
		o.Region = RegionOf(host)
	}
	if o.Region == "" {
		return nil, apperr.New(apperr.Invalid, "give the OSS region (e.g. cn-hangzhou) for the endpoint %s (BATCHDESK_OSS_REGION or --region)", destination.Quote(endpoint))
	}
	if o.PartSize == 0 {
		o.PartSize = DefaultPartSize
	}
	if o.PartSize < MinPartSize {
		return nil, apperr.New(apperr.Invalid, "an OSS part must be at least %d bytes", MinPartSize)
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.Retries == 0 {
		o.Retries = DefaultRetries
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	copts := []oss.ClientOption{
		oss.AuthVersion(oss.AuthV4),
		oss.Region(o.Region),
		oss.Timeout(15, 120),
		oss.EnableCRC(true),
		oss.UserAgent("batchdesk"),
	}
	if isLocalHost(host) {
		copts = append(copts, oss.ForcePathStyle(true))
	}
	client, err := oss.New(endpoint, o.AccessKeyID, o.AccessKeySecret, copts...)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the OSS endpoint %s cannot be used: %v", destination.Quote(endpoint), err)
	}
	b, err := client.Bucket(o.Bucket)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the OSS bucket name %q is not valid (3 to 63 lowercase letters, digits and hyphens)", destination.Quote(o.Bucket))
	}
	return &Dest{opts: o, endpoint: endpoint, bucket: b}, nil
}

// normalizeEndpoint adds https:// when no scheme is given and returns the
// URL and its host.
func normalizeEndpoint(e string) (string, string, error) {
	e = strings.TrimRight(strings.TrimSpace(e), "/")
	if e == "" {
		return "", "", apperr.New(apperr.Invalid, "an OSS destination needs an endpoint, e.g. oss-cn-hangzhou.aliyuncs.com (BATCHDESK_OSS_ENDPOINT or --endpoint)")
	}
	if !strings.Contains(e, "://") {
		e = "https://" + e
	}
	u, err := url.Parse(e)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", "", apperr.New(apperr.Invalid, "the OSS endpoint %q must be a host name or http(s)://host[:port]", destination.Quote(e))
	}
	return u.Scheme + "://" + u.Host, u.Hostname(), nil
}

// RegionOf reads the region out of an Aliyun endpoint host
// ("oss-cn-hangzhou.aliyuncs.com", "oss-cn-hangzhou-internal.aliyuncs.com"
// → "cn-hangzhou"); other hosts give "".
func RegionOf(host string) string {
	host = strings.ToLower(host)
	rest, ok := strings.CutSuffix(host, ".aliyuncs.com")
	if !ok {
		return ""
	}
	if i := strings.LastIndex(rest, "."); i >= 0 { // bucket.oss-cn-x.aliyuncs.com
		rest = rest[i+1:]
	}
	rest, ok = strings.CutPrefix(rest, "oss-")
	if !ok {
		return ""
	}
	rest = strings.TrimSuffix(rest, "-internal")
	return rest
}

func isLocalHost(host string) bool {
	return host == "localhost" || net.ParseIP(host) != nil
}

// key is the object key of a name.
func (d *Dest) key(name string) string {
	if d.opts.Prefix == "" {
		return name
	}
	return d.opts.Prefix + "/" + name
}

// Describe is "oss://bucket/prefix (endpoint)".
func (d *Dest) Describe() string {
	return fmt.Sprintf("oss://%s/%s (%s)", d.opts.Bucket, d.opts.Prefix, d.endpoint)
}

// Close does nothing: the SDK's HTTP client needs no closing.
func (d *Dest) Close() error { return nil }

// Test uploads, reads back and deletes a small probe object.
func (d *Dest) Test(ctx context.Context) error {
	p, err := d.Put(ctx, destination.ProbeName, strings.NewReader("batchdesk probe\n"))
	if err != nil {
		return err
	}
	if err := d.bucket.DeleteObject(d.key(p.Name), oss.WithContext(ctx)); err != nil {
		return d.explain(err, "delete the probe object")
	}
	return nil
}

// explain turns an SDK error into plain words.
func (d *Dest) explain(err error, what string) error {
	if err == nil {
		return nil
	}
	if ctxErr := contextError(err); ctxErr != nil {
		return apperr.Wrap(ctxErr, apperr.Canceled, "%s on OSS was canceled", what)
	}
	var se oss.ServiceError
	if asServiceError(err, &se) {
		switch se.Code {
		case "NoSuchBucket":
			return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the bucket %q does not exist at %s", what, d.opts.Bucket, d.endpoint)
		case "InvalidAccessKeyId":
			return apperr.Wrap(err, apperr.AuthFailed, "cannot %s: OSS does not know the access key id", what)
		case "SignatureDoesNotMatch":
			return apperr.Wrap(err, apperr.AuthFailed, "cannot %s: OSS refused the signature — the access key secret is wrong, or the region %q is not the bucket's", what, d.opts.Region)
		case "AccessDenied":
			return apperr.Wrap(err, apperr.AuthFailed, "cannot %s: OSS denied access — the key may not write to bucket %q", what, d.opts.Bucket)
		}
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: OSS answered %d %s: %s", what, se.StatusCode, se.Code, destination.Quote(se.Message))
	}
	return apperr.Wrap(err, apperr.Unavailable, "cannot %s: OSS at %s did not answer: %s", what, d.endpoint, destination.Quote(err.Error()))
}

// retryable reports whether a failed request may succeed when sent again.
func retryable(err error) bool {
	if contextError(err) != nil {
		return false
	}
	var se oss.ServiceError
	if asServiceError(err, &se) {
		return se.StatusCode >= 500 || se.StatusCode == http.StatusRequestTimeout || se.StatusCode == http.StatusTooManyRequests
	}
	return true // network errors, dropped connections, CRC mismatches in transit
}

// withRetry runs op until it succeeds, fails for good, or the attempts run out.
func (d *Dest) withRetry(ctx context.Context, op func() error) error {
	err := destination.Retry(ctx, d.opts.Retries, d.opts.Backoff, retryable, op)
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
