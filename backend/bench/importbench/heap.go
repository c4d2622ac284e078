package main

import (
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// watchHeap samples the live heap every 200 ms and writes a heap profile
// to path each time it grows past its previous peak by an eighth, so the
// file left at the end shows what was live near the peak. stop ends the
// sampling and writes a last profile when none was written.
func watchHeap(path string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	write := func() {
		if f, err := os.Create(path); err == nil {
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	go func() {
		defer close(finished)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				if peak == 0 {
					write()
				}
				return
			case <-t.C:
				metrics.Read(s)
				if v := s[0].Value.Uint64(); v > peak+peak/8 {
					peak = v
					write()
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}
