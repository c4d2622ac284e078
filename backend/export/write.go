package export

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/query"
	"batchdesk/backend/destination"
	"batchdesk/backend/jobs"
)

// bom is the UTF-8 byte order mark: Excel then reads the file as UTF-8.
const bom = "\uFEFF"

// bufferSize is the write buffer in front of a destination: COPY hands
// over one row per write.
const bufferSize = 256 << 10

// writer streams a plan's files to a destination.
type writer struct {
	sess   query.Session
	dest   destination.Destination
	plan   *plan
	report func(jobs.Progress)

	estimates []int64
	total     int64 // estimated rows of all files
	rows      int64 // rows of the files already written
	bytes     int64 // bytes handed to the destination
	seq       int   // files started, for the failpoints
}

// estimate asks the session about how many rows each file will have.
func (w *writer) estimate(ctx context.Context) error {
	for _, f := range w.plan.files {
		n, err := w.sess.Estimate(ctx, f.read)
		if err != nil {
			return err
		}
		w.estimates = append(w.estimates, n)
		w.total += n
	}
	return nil
}

// progress reports rows of file i so far.
func (w *writer) progress(i int, rows int64, bytes int64) {
	f := w.plan.files[i]
	w.report(jobs.Progress{Total: w.total, Done: w.rows + rows, Succeeded: w.rows + rows, BytesRead: w.bytes + bytes,
		Message: fmt.Sprintf("%s: %d of about %d rows (an estimate)", f.name, rows, w.estimates[i])})
}

// putFiles publishes each file under its own name.
func (w *writer) putFiles(ctx context.Context) ([]File, error) {
	var out []File
	for i := range w.plan.files {
		f := w.plan.files[i]
		var content fileStats
		// writeCSV hashes the file: put need not hash it again.
		pub, err := w.put(ctx, f.name, false, func(dst io.Writer) error {
			var err error
			content, err = w.writeCSV(ctx, i, dst)
			return err
		})
		if err != nil {
			return out, err
		}
		out = append(out, File{Name: f.name, Object: f.object.APIName, Rows: content.rows, Bytes: content.bytes,
			SHA256: content.sha256, Location: pub.Location})
		w.rows += content.rows
		w.bytes += content.bytes
	}
	return out, nil
}

// putZip publishes one zip holding every file.
func (w *writer) putZip(ctx context.Context) ([]File, error) {
	var entries []File
	var total int64
	pub, err := w.put(ctx, w.plan.zip, true, func(dst io.Writer) error {
		zw := zip.NewWriter(dst)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		for i, f := range w.plan.files {
			ew, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: time.Now()})
			if err != nil {
				return err
			}
			st, err := w.writeCSV(ctx, i, ew)
			if err != nil {
				return err
			}
			entries = append(entries, File{Name: f.name, Object: f.object.APIName, Rows: st.rows, Bytes: st.bytes,
				SHA256: st.sha256, Archive: w.plan.zip})
			total += st.rows
			w.rows += st.rows
			w.bytes += st.bytes
		}
		return zw.Close()
	})
	if err != nil {
		return nil, err
	}
	for i := range entries {
		entries[i].Location = pub.Location
	}
	zipFile := File{Name: w.plan.zip, Rows: total, Bytes: pub.stats.bytes, SHA256: pub.stats.sha256, Location: pub.Location}
	return append([]File{zipFile}, entries...), nil
}

// fileStats are the size and digest of bytes written.
type fileStats struct {
	rows, bytes int64
	sha256      string
}

// published is a destination's record plus what was sent to it.
type published struct {
	destination.Published
	stats fileStats
}

// put streams what write writes to the destination as name, hashing it
// when hashed. The destination publishes it whole or not at all: a write
// error closes the stream with that error, so the destination drops the
// partial file.
func (w *writer) put(ctx context.Context, name string, hashed bool, write func(io.Writer) error) (published, error) {
	pr, pw := io.Pipe()
	type outcome struct {
		pub destination.Published
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		pub, err := w.dest.Put(ctx, name, pr)
		if err == nil {
			err = drained(pr)
		}
		// Unblock the writer should the destination stop reading early.
		pr.CloseWithError(errors.Join(errDestinationStopped, err))
		done <- outcome{pub, err}
	}()
	hc := &hashCounter{w: pw}
	if hashed {
		hc.h = sha256.New()
	}
	bw := bufio.NewWriterSize(hc, bufferSize)
	werr := write(bw)
	if werr == nil {
		werr = bw.Flush()
	}
	if werr != nil {
		pw.CloseWithError(werr)
	} else {
		pw.Close()
	}
	o := <-done
	stats := fileStats{bytes: hc.n}
	if hashed {
		stats.sha256 = hex.EncodeToString(hc.h.Sum(nil))
	}
	switch {
	case o.err != nil && (werr == nil || errors.Is(werr, errDestinationStopped)):
		return published{}, destinationError(w.dest, name, o.err)
	case werr != nil:
		return published{}, werr
	case o.err != nil:
		return published{}, destinationError(w.dest, name, o.err)
	}
	return published{Published: o.pub, stats: stats}, nil
}

// errDestinationStopped marks writes refused because the destination
// returned (an error of its own, or finished without reading everything).
var errDestinationStopped = errors.New("the destination stopped reading")

// drained checks that the destination read the stream to its end.
func drained(r io.Reader) error {
	var one [1]byte
	if n, err := r.Read(one[:]); n > 0 || !errors.Is(err, io.EOF) {
		return errors.New("the destination finished before the file's end")
	}
	return nil
}

// writeCSV writes file i — BOM, header, rows — to dst.
func (w *writer) writeCSV(ctx context.Context, i int, dst io.Writer) (fileStats, error) {
	f := w.plan.files[i]
	w.seq++
	hc := &hashCounter{w: dst, h: sha256.New()}
	bw := bufio.NewWriterSize(hc, bufferSize)
	if !w.plan.noBOM {
		bw.WriteString(bom)
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(f.header); err != nil {
		return fileStats{}, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fileStats{}, err
	}
	var rowsDst io.Writer = bw
	if failArmed(FailMidFile, w.seq) {
		rowsDst = &killer{bw: bw}
	}
	rows, err := w.sess.Copy(ctx, f.read, rowsDst, func(rows int64) { w.progress(i, rows, hc.n+int64(bw.Buffered())) })
	if err != nil {
		return fileStats{}, err
	}
	if err := bw.Flush(); err != nil {
		return fileStats{}, err
	}
	w.progress(i, rows, hc.n)
	return fileStats{rows: rows, bytes: hc.n, sha256: hex.EncodeToString(hc.h.Sum(nil))}, nil
}

// hashCounter counts, and hashes when h is set, what passes through it.
type hashCounter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (c *hashCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if c.h != nil {
		c.h.Write(p[:n])
	}
	c.n += int64(n)
	return n, err
}

// destinationError names the destination and file in a failed upload; an
// *apperr.Error from the destination keeps its code and words.
func destinationError(d destination.Destination, name string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := apperr.CodeOf(err)
	if code == apperr.Internal {
		code = apperr.Unavailable
	}
	return apperr.Wrap(err, code, "could not write %s to %s: %s", name, d.Describe(), apperr.MessageOf(err))
}
