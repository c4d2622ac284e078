package oss

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash"
	"hash/crc64"
	"io"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

// crcTable is OSS's CRC-64 (ECMA-182, as Go's hash/crc64 computes it).
var crcTable = crc64.MakeTable(crc64.ECMA)

// Put uploads r to prefix/name: one PUT when it fits in one part, else a
// multipart upload that is aborted on any failure. The stored size and
// CRC-64 are checked before Put returns.
func (d *Dest) Put(ctx context.Context, name string, r io.Reader) (destination.Published, error) {
	clean, err := destination.CleanName(name)
	if err != nil {
		return destination.Published{}, err
	}
	key := d.key(clean)
	r = destination.ContextReader(ctx, r)
	first := make([]byte, d.opts.PartSize)
	n, err := io.ReadFull(r, first)
	var size int64
	var sum uint64
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		size, sum, err = d.putSingle(ctx, key, first[:n])
	case err != nil:
		return destination.Published{}, readError(ctx, err, clean)
	default:
		size, sum, err = d.putMultipart(ctx, key, first, r)
	}
	if err != nil {
		return destination.Published{}, err
	}
	if err := d.verify(ctx, key, size, sum); err != nil {
		cctx, cancel := cleanupContext(ctx)
		_ = d.bucket.DeleteObject(key, oss.WithContext(cctx))
		cancel()
		return destination.Published{}, err
	}
	return destination.Published{Name: name, Location: "oss://" + d.opts.Bucket + "/" + key, Bytes: size}, nil
}

func readError(ctx context.Context, err error, name string) error {
	if ctx.Err() != nil {
		return apperr.Wrap(ctx.Err(), apperr.Canceled, "uploading %s was canceled", name)
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// cleanupContext outlives a canceled ctx for a bounded time, so an abort or
// delete is still sent after the user cancels.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}

func (d *Dest) putSingle(ctx context.Context, key string, body []byte) (int64, uint64, error) {
	err := d.withRetry(ctx, func() error {
		return d.bucket.PutObject(key, bytes.NewReader(body), oss.WithContext(ctx))
	})
	if err != nil {
		return 0, 0, d.explain(err, "upload "+destination.Quote(key))
	}
	return int64(len(body)), crc64.Checksum(body, crcTable), nil
}

// putMultipart uploads first and the rest of r as parts, at most Parallel
// buffers alive at once.
func (d *Dest) putMultipart(ctx context.Context, key string, first []byte, r io.Reader) (int64, uint64, error) {
	var imur oss.InitiateMultipartUploadResult
	err := d.withRetry(ctx, func() error {
		var err error
		imur, err = d.bucket.InitiateMultipartUpload(key, oss.WithContext(ctx))
		return err
	})
	if err != nil {
		return 0, 0, d.explain(err, "start the upload of "+destination.Quote(key))
	}
	size, sum, err := d.uploadParts(ctx, imur, first, r)
	if err != nil {
		d.abort(ctx, imur)
		return 0, 0, err
	}
	return size, sum, nil
}

func (d *Dest) uploadParts(ctx context.Context, imur oss.InitiateMultipartUploadResult, first []byte, r io.Reader) (int64, uint64, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// first plus the pool are the only part buffers: at most Parallel.
	pool := make(chan []byte, d.opts.Parallel)
	for i := 1; i < d.opts.Parallel; i++ {
		pool <- nil // allocated on first use
	}
	var (
		mu    sync.Mutex
		parts []oss.UploadPart
		wg    sync.WaitGroup
		crc   hash.Hash64 = crc64.New(crcTable)
		size  int64
	)
	fail := func(err error) { cancel(err) }
	buf, n, readErr := first, len(first), error(nil)
	for number := 1; ; number++ {
		if n > 0 {
			if number > MaxParts {
				fail(apperr.New(apperr.TooLarge, "the file is larger than OSS's %d parts of %d bytes", MaxParts, d.opts.PartSize))
				break
			}
			crc.Write(buf[:n])
			size += int64(n)
			wg.Add(1)
			go func(number int, buf []byte, n int) {
				defer wg.Done()
				part, err := d.uploadPart(ctx, imur, buf[:n], number)
				pool <- buf
				if err != nil {
					fail(err)
					return
				}
				mu.Lock()
				parts = append(parts, part)
				mu.Unlock()
			}(number, buf, n)
		}
		if readErr != nil {
			break
		}
		select {
		case buf = <-pool:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		if buf == nil {
			buf = make([]byte, d.opts.PartSize)
		}
		n, readErr = io.ReadFull(r, buf)
		switch {
		case readErr == io.EOF || readErr == io.ErrUnexpectedEOF:
			readErr = io.EOF
		case readErr != nil:
			fail(readError(ctx, readErr, imur.Key))
			n = 0
		}
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		if errors.Is(err, context.Canceled) && !isApp(err) {
			return 0, 0, apperr.Wrap(err, apperr.Canceled, "uploading %s was canceled", destination.Quote(imur.Key))
		}
		return 0, 0, err
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i].PartNumber < parts[j].PartNumber })
	err := d.withRetry(ctx, func() error {
		_, err := d.bucket.CompleteMultipartUpload(imur, parts, oss.WithContext(ctx))
		return err
	})
	if err != nil {
		// The answer to a Complete that did succeed may have been lost and
		// the retry refused (NoSuchUpload): the object is then whole.
		if d.verify(ctx, imur.Key, size, crc.Sum64()) == nil {
			return size, crc.Sum64(), nil
		}
		return 0, 0, d.explain(err, "finish the upload of "+destination.Quote(imur.Key))
	}
	return size, crc.Sum64(), nil
}

// abort drops a multipart upload and its parts, retried, even after the
// caller's context ended.
func (d *Dest) abort(ctx context.Context, imur oss.InitiateMultipartUploadResult) {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	_ = d.withRetry(cctx, func() error {
		err := d.bucket.AbortMultipartUpload(imur, oss.WithContext(cctx))
		var se oss.ServiceError
		if asServiceError(err, &se) && se.Code == "NoSuchUpload" {
			return nil
		}
		return err
	})
}

func isApp(err error) bool {
	var e *apperr.Error
	return errors.As(err, &e)
}

func (d *Dest) uploadPart(ctx context.Context, imur oss.InitiateMultipartUploadResult, body []byte, number int) (oss.UploadPart, error) {
	var part oss.UploadPart
	err := d.withRetry(ctx, func() error {
		var err error
		part, err = d.bucket.UploadPart(imur, bytes.NewReader(body), int64(len(body)), number, oss.WithContext(ctx))
		return err
	})
	if err != nil {
		return part, d.explain(err, fmt.Sprintf("upload part %d of %s", number, destination.Quote(imur.Key)))
	}
	return part, nil
}

// verify reads the object's size and CRC-64 back and compares them.
func (d *Dest) verify(ctx context.Context, key string, size int64, sum uint64) error {
	var h map[string][]string
	err := d.withRetry(ctx, func() error {
		var err error
		h, err = d.bucket.GetObjectDetailedMeta(key, oss.WithContext(ctx))
		return err
	})
	if err != nil {
		return d.explain(err, "check the uploaded "+destination.Quote(key))
	}
	get := func(k string) string {
		if v := h[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	got, err := strconv.ParseInt(get("Content-Length"), 10, 64)
	if err != nil || got != size {
		return apperr.New(apperr.Unavailable, "OSS holds %s bytes of %s after %d were sent", get("Content-Length"), destination.Quote(key), size)
	}
	if c := get(oss.HTTPHeaderOssCRC64); c != "" {
		v, err := strconv.ParseUint(c, 10, 64)
		if err != nil || v != sum {
			return apperr.New(apperr.Unavailable, "the CRC-64 OSS computed for %s (%s) differs from what was sent (%d)", destination.Quote(key), c, sum)
		}
	}
	return nil
}
