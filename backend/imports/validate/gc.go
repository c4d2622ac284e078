package validate

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// While files are streamed (preview and import), the garbage collector
// runs less often: every row allocates its record, fields and values, and
// with the default GOGC=100 over a heap of a few tens of MB a collection
// ran every few MB allocated — a third of a preview's CPU in marking and
// write barriers, and CPU an import takes from the database server on the
// same machine. GOGC goes to streamGCPercent, capped by a soft memory
// limit streamHeadroom above the heap in use when the first stream
// started (or the limit already set, when lower), so the process stays
// well within DESIGN §5's 200 MB. The last stream to end restores both.
// Someone who set GOGC or GOMEMLIMIT in the environment keeps them.
const (
	streamGCPercent = 400
	streamHeadroom  = 80 << 20
)

var streamGC struct {
	sync.Mutex
	users      int
	skip       bool
	oldPercent int
	oldLimit   int64
}

// tuneGC applies the streaming GC settings until the returned func is
// called.
func tuneGC() (restore func()) {
	g := &streamGC
	g.Lock()
	defer g.Unlock()
	if g.users == 0 {
		g.skip = os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != ""
		if !g.skip {
			s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			metrics.Read(s)
			var inUse int64
			if s[0].Value.Kind() == metrics.KindUint64 {
				inUse = int64(s[0].Value.Uint64())
			}
			g.oldLimit = debug.SetMemoryLimit(-1)
			debug.SetMemoryLimit(min(g.oldLimit, inUse+streamHeadroom))
			g.oldPercent = debug.SetGCPercent(streamGCPercent)
		}
	}
	g.users++
	return func() {
		g.Lock()
		defer g.Unlock()
		if g.users--; g.users == 0 && !g.skip {
			debug.SetGCPercent(g.oldPercent)
			debug.SetMemoryLimit(g.oldLimit)
		}
	}
}
