package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// progressView shows a job's progress on stderr: a progress bar on a
// terminal, plain lines at most every lineEvery on a pipe, and always one
// closing line. It is the jobs.Emitter of a command-line job.
type progressView struct {
	w         io.Writer
	label     string
	terminal  bool
	lineEvery time.Duration
	now       func() time.Time

	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	barMax   int64
	lastLine time.Time
	quiet    bool
}

// newProgressView returns the view for a job labelled label ("import").
// The bar is used only when stderr is a terminal.
func newProgressView(env *Env, label string) *progressView {
	return &progressView{w: env.Stderr, label: label, terminal: isTerminal(env.Stderr),
		lineEvery: 3 * time.Second, now: time.Now}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Emit renders job:progress and job:finished events.
func (v *progressView) Emit(name string, payload any) {
	ev, ok := payload.(jobs.Event)
	if !ok {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.quiet {
		return
	}
	switch name {
	case jobs.EventProgress:
		if v.terminal {
			v.showBar(ev)
			return
		}
		now := v.now()
		if v.lastLine.IsZero() {
			v.lastLine = now // the first line after lineEvery: short jobs stay quiet
			return
		}
		if now.Sub(v.lastLine) >= v.lineEvery {
			v.lastLine = now
			fmt.Fprintf(v.w, "%s: %s\n", v.label, progressText(ev))
		}
	case jobs.EventFinished:
		if v.bar != nil {
			v.showBar(ev)
			_ = v.bar.Finish()
			fmt.Fprintln(v.w)
			v.bar = nil
		}
		if ev.Status == store.StatusFailed {
			return // the command's error line says why, once
		}
		fmt.Fprintf(v.w, "%s: %s — %s\n", v.label, ev.Status, ev.Message)
	}
}

// showBar moves the bar: over bytes when the size is known, else rows.
func (v *progressView) showBar(ev jobs.Event) {
	max, cur := ev.BytesTotal, ev.BytesRead
	if max <= 0 {
		max, cur = ev.Total, ev.Done
	}
	if max <= 0 {
		max = -1 // a spinner
	}
	if v.bar == nil || v.barMax != max {
		if v.bar != nil {
			_ = v.bar.Exit()
		}
		v.barMax = max
		v.bar = progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(v.w),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionSetRenderBlankState(true),
		)
	}
	v.bar.Describe(fmt.Sprintf("%d rows, %d failed, %.0f rows/s", ev.Done, ev.Failed, ev.RowsPerSec))
	_ = v.bar.Set64(cur)
}

// progressText is one plain progress line.
func progressText(ev jobs.Event) string {
	pct := ""
	switch {
	case ev.BytesTotal > 0:
		pct = fmt.Sprintf(" (%d%%)", ev.BytesRead*100/ev.BytesTotal)
	case ev.Total > 0:
		pct = fmt.Sprintf(" (%d%%)", ev.Done*100/ev.Total)
	}
	s := fmt.Sprintf("%d rows%s, %d failed, %.0f rows/s", ev.Done, pct, ev.Failed, ev.RowsPerSec)
	if ev.Message != "" {
		s += " — " + ev.Message
	}
	return s
}
