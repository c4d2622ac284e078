// Package benchkit holds what the benchmark programs of `make bench` share:
// a throwaway PostgreSQL database, a child process timed with its peak RSS,
// and medians over alternating rounds.
//
// In: the server's address (pgtest.ServerDSN) and commands to run. Out:
// samples (seconds, peak RSS in KB) and their medians. Errors are returned
// with the child's stderr.
package benchkit

import (
	"context"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/pgtest"
)

// Sample is one timed run.
type Sample struct {
	Secs float64
	RSS  int64 // peak resident set size, KB
}

// Median returns the median of the samples' seconds, or of their peak RSS
// (KB) when rss is set; 0 for none.
func Median(s []Sample, rss bool) float64 {
	v := make([]float64, len(s))
	for i, x := range s {
		v[i] = x.Secs
		if rss {
			v[i] = float64(x.RSS)
		}
	}
	return MedianOf(v)
}

// MedianOf returns the median of xs (0 for none); xs is not changed.
func MedianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// Timed runs cmd and returns its wall time and peak RSS.
func Timed(cmd *exec.Cmd) (Sample, error) {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	err := cmd.Run()
	secs := time.Since(t0).Seconds()
	if err != nil {
		return Sample{}, fmt.Errorf("%v: %s", err, stderr.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return Sample{Secs: secs, RSS: rss}, nil
}

// NewDatabase creates a throwaway database named prefix_<time> on the
// server at admin and returns its URL and a func that drops it.
func NewDatabase(ctx context.Context, admin, prefix string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, fmt.Errorf("PostgreSQL at BATCHDESK_TEST_PG: %w", err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", nil, err
	}
	drop := func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	}
	return pgtest.WithDatabase(admin, name), drop, nil
}
