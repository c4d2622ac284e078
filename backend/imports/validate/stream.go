package validate

import (
	"context"
	"io"
	"runtime"

	"batchdesk/backend/imports/source"
)

// streamBatch is the number of records a worker converts at a time.
const streamBatch = 512

// maxBatchFields bounds the fields of one batch: a file of very wide rows
// (thousands of columns) gets batches of fewer records, so the batches in
// flight stay a few MB whatever the width.
const maxBatchFields = 64 << 10

type batch struct {
	recs []source.Record
	rows []Row
	err  error // the read error that ended the file (io.EOF excluded)
	done chan struct{}
}

// Stream reads every record of f and validates it, reading and converting
// on separate goroutines (workers converters; 0 means GOMAXPROCS), and
// calls fn with each Row and its record in file order from the calling
// goroutine (fn may keep both: rec.Fields is a copy, for an error report).
// While it runs the GC runs less often (see tuneGC). It stops at the
// first error of f (a file error such as ErrBinary), of fn, or of ctx.
// Problems are reported in rows, never as errors.
func (v *Validator) Stream(ctx context.Context, f *source.File, workers int, fn func(Row, source.Record) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	defer tuneGC()()
	defer v.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *batch, workers)
	order := make(chan *batch, 2*workers)
	go func() { // reader
		var fieldSlab []string // record fields, copied out of the reused slice
		defer close(jobs)
		defer close(order)
		for {
			b := &batch{done: make(chan struct{}), recs: make([]source.Record, 0, streamBatch)}
			limit, ended := streamBatch, false
			for len(b.recs) < limit {
				rec, err := f.Next()
				if err != nil {
					if err != io.EOF {
						b.err = err
					}
					ended = true
					break
				}
				if n := len(rec.Fields); n*limit > maxBatchFields {
					limit = max(len(b.recs)+1, maxBatchFields/n)
				}
				if len(fieldSlab) < len(rec.Fields) {
					fieldSlab = make([]string, max(len(rec.Fields)*limit, 4096))
				}
				rec.Fields = fieldSlab[:copy(fieldSlab, rec.Fields):len(rec.Fields)]
				fieldSlab = fieldSlab[len(rec.Fields):]
				b.recs = append(b.recs, rec)
			}
			select {
			case order <- b:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- b:
			case <-ctx.Done():
				return
			}
			if ended {
				return
			}
		}
	}()
	for range workers {
		go func() {
			var a arena
			for b := range jobs {
				n, nr := len(v.targets), v.nrefs
				slab := make([]any, n*len(b.recs))
				refSlab := make([]Ref, nr*len(b.recs))
				b.rows = make([]Row, len(b.recs))
				for i, rec := range b.recs {
					b.rows[i] = v.convert(rec, slab[i*n:(i+1)*n:(i+1)*n], refSlab[i*nr:i*nr:(i+1)*nr], &a)
				}
				close(b.done)
			}
		}()
	}
	first := true
	for b := range order {
		select {
		case <-b.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if first {
			first = false
			v.reserveDups(f, b.recs)
		}
		for i := range b.rows {
			v.finish(&b.rows[i], b.recs[i])
			if err := fn(b.rows[i], b.recs[i]); err != nil {
				return err
			}
		}
		if err := v.dupErr(); err != nil {
			return err
		}
		if b.err != nil {
			return b.err
		}
	}
	return ctx.Err()
}

// maxReserve bounds the entries reserveDups makes room for at once.
const maxReserve = 1 << 23

// reserveDups sizes the in-file duplicate indexes for the rows the file
// probably holds, estimated from the first records' length.
func (v *Validator) reserveDups(f *source.File, recs []source.Record) {
	if len(v.dups) == 0 || len(recs) < 2 {
		return
	}
	span := recs[len(recs)-1].Offset - recs[0].Offset
	if span <= 0 {
		return
	}
	perRow := float64(span) / float64(len(recs)-1)
	n := int(min(float64(f.Size())/perRow*1.1, maxReserve))
	for d := range v.dups {
		v.dups[d].seen.reserve(n)
	}
}
