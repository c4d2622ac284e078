package validate

import (
	"bufio"
	"encoding/binary"
	"os"
	"slices"
)

// dupSet is the exact in-file duplicate index of one key column, in
// bounded memory. It maps each value seen to the line it was first seen
// on. The newest entries live in an open-addressing table of 64-bit value
// hashes (no per-entry allocation); the values themselves are kept in a
// byte arena. When the table holds memEntries entries they are spilled to
// a sorted run file on disk, the arena is appended to a key file, and the
// hashes go into a Bloom filter that is the first test for the runs. A
// matching hash is never taken as a duplicate alone: the stored value is
// read back and compared, so a hash collision cannot report a false
// duplicate. Memory is bounded whatever the row count: a 20 MB table, a
// 16 MB filter once spilled, the arena (the values of 524,288 rows) and
// 12 MB for a moment at each spill. The files (20 bytes and the value's
// length per row) are removed by close.
type dupSet struct {
	keys  []uint64 // table: 0 marks an empty slot (a hash of 0 is stored as 1)
	lines []int32
	offs  []int64 // where the value is in the key store
	n     int

	arena     []byte // values of the entries since the last spill
	arenaBase int64  // key-store offset of arena[0]
	keyFile   *os.File
	runs      []dupRun
	bloom     []uint64 // nil until the first spill
	err       error    // the first I/O error; the set then reports no more duplicates
	buf       []byte
}

// dupRun is one spilled table: entries sorted by hash, with every
// sparseEvery-th hash kept in memory to find the block to read.
type dupRun struct {
	f      *os.File
	n      int
	sparse []uint64
}

// memEntries is the number of entries held in the table before a spill (a
// variable for tests).
var memEntries = 1 << 19

const (
	sparseEvery = 256     // run entries per block read
	entrySize   = 20      // hash 8, line 4, value offset 8
	bloomWords  = 1 << 21 // 16 MB, 2^27 bits: ~0.4 % false hits at 10M rows
	bloomHashes = 4
)

// addOrGet stores line under value key (hash h) unless the value is there
// already; then it returns the line stored and true.
func (t *dupSet) addOrGet(h uint64, key string, line int32) (int32, bool) {
	if h == 0 {
		h = 1
	}
	if t.err != nil {
		return 0, false
	}
	if t.n+1 > memEntries {
		t.spill()
	}
	if 2*(t.n+1) > len(t.keys) {
		t.resize(max(1024, 2*len(t.keys)))
	}
	mask := uint64(len(t.keys) - 1)
	i := h & mask
	for ; t.keys[i] != 0; i = (i + 1) & mask {
		if t.keys[i] == h && t.sameKey(t.offs[i], key) {
			return t.lines[i], true
		}
	}
	if t.bloom != nil && t.bloomHas(h) {
		if first, ok := t.searchRuns(h, key); ok {
			return first, true
		}
	}
	t.keys[i], t.lines[i], t.offs[i] = h, line, t.arenaBase+int64(len(t.arena))
	t.arena = binary.AppendUvarint(t.arena, uint64(len(key)))
	t.arena = append(t.arena, key...)
	t.n++
	return 0, false
}

// reserve makes room for n entries (at most memEntries) so that adding
// them does not rehash the table again and again.
func (t *dupSet) reserve(n int) {
	n = min(n, memEntries)
	size := 1024
	for size < 2*n {
		size *= 2
	}
	if size > len(t.keys) {
		t.resize(size)
	}
}

func (t *dupSet) resize(size int) {
	old, oldLines, oldOffs := t.keys, t.lines, t.offs
	t.keys, t.lines, t.offs = make([]uint64, size), make([]int32, size), make([]int64, size)
	mask := uint64(size - 1)
	for j, k := range old {
		if k == 0 {
			continue
		}
		i := k & mask
		for t.keys[i] != 0 {
			i = (i + 1) & mask
		}
		t.keys[i], t.lines[i], t.offs[i] = k, oldLines[j], oldOffs[j]
	}
}

// sameKey reports whether the value stored at off is key.
func (t *dupSet) sameKey(off int64, key string) bool {
	if off >= t.arenaBase {
		b := t.arena[off-t.arenaBase:]
		n, w := binary.Uvarint(b)
		return int(n) == len(key) && string(b[w:w+int(n)]) == key
	}
	if cap(t.buf) < len(key)+binary.MaxVarintLen64 {
		t.buf = make([]byte, len(key)+binary.MaxVarintLen64)
	}
	b := t.buf[:len(key)+binary.MaxVarintLen64]
	got, err := t.keyFile.ReadAt(b, off)
	if got == 0 && err != nil {
		t.fail(err)
		return false
	}
	n, w := binary.Uvarint(b[:got])
	return w > 0 && int(n) == len(key) && w+int(n) <= got && string(b[w:w+int(n)]) == key
}

func (t *dupSet) bloomBits(h uint64, fn func(word int, bit uint64) bool) bool {
	step := h>>33 | 1
	for k := range uint64(bloomHashes) {
		x := (h + k*step) & (bloomWords*64 - 1)
		if !fn(int(x>>6), 1<<(x&63)) {
			return false
		}
	}
	return true
}

func (t *dupSet) bloomHas(h uint64) bool {
	return t.bloomBits(h, func(w int, bit uint64) bool { return t.bloom[w]&bit != 0 })
}

// searchRuns looks for the value in the spilled runs.
func (t *dupSet) searchRuns(h uint64, key string) (int32, bool) {
	block := make([]byte, sparseEvery*entrySize)
	for r := range t.runs {
		run := &t.runs[r]
		// The first block whose first hash is below h (entries equal to h
		// may start in it).
		b, _ := slices.BinarySearch(run.sparse, h)
		b = max(b-1, 0)
		for start := b * sparseEvery; start < run.n; start += sparseEvery {
			cnt := min(sparseEvery, run.n-start)
			if _, err := run.f.ReadAt(block[:cnt*entrySize], int64(start)*entrySize); err != nil {
				t.fail(err)
				return 0, false
			}
			past := false
			for e := range cnt {
				rec := block[e*entrySize:]
				eh := binary.LittleEndian.Uint64(rec)
				if eh > h {
					past = true
					break
				}
				if eh == h && t.sameKey(int64(binary.LittleEndian.Uint64(rec[12:])), key) {
					return int32(binary.LittleEndian.Uint32(rec[8:])), true
				}
			}
			if past {
				break
			}
		}
	}
	return 0, false
}

// spill writes the table to a new sorted run and the arena to the key
// file, and empties both.
func (t *dupSet) spill() {
	type entry struct {
		h    uint64
		line int32
		off  int64
	}
	es := make([]entry, 0, t.n)
	for i, k := range t.keys {
		if k != 0 {
			es = append(es, entry{k, t.lines[i], t.offs[i]})
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		switch {
		case a.h < b.h:
			return -1
		case a.h > b.h:
			return 1
		}
		return 0
	})
	f, err := os.CreateTemp("", "batchdesk-dups-*")
	if err != nil {
		t.fail(err)
		return
	}
	run := dupRun{f: f, n: len(es)}
	t.runs = append(t.runs, run)
	if t.bloom == nil {
		t.bloom = make([]uint64, bloomWords)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	var rec [entrySize]byte
	for i, e := range es {
		if i%sparseEvery == 0 {
			t.runs[len(t.runs)-1].sparse = append(t.runs[len(t.runs)-1].sparse, e.h)
		}
		t.bloomBits(e.h, func(w int, bit uint64) bool { t.bloom[w] |= bit; return true })
		binary.LittleEndian.PutUint64(rec[:], e.h)
		binary.LittleEndian.PutUint32(rec[8:], uint32(e.line))
		binary.LittleEndian.PutUint64(rec[12:], uint64(e.off))
		w.Write(rec[:])
	}
	if err := w.Flush(); err != nil {
		t.fail(err)
		return
	}
	if t.keyFile == nil {
		if t.keyFile, err = os.CreateTemp("", "batchdesk-keys-*"); err != nil {
			t.fail(err)
			return
		}
	}
	if _, err := t.keyFile.WriteAt(t.arena, t.arenaBase); err != nil {
		t.fail(err)
		return
	}
	t.arenaBase += int64(len(t.arena))
	t.arena = t.arena[:0]
	clear(t.keys)
	t.n = 0
}

func (t *dupSet) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

// close removes the set's files and frees its memory.
func (t *dupSet) close() {
	for _, r := range t.runs {
		r.f.Close()
		os.Remove(r.f.Name())
	}
	if t.keyFile != nil {
		t.keyFile.Close()
		os.Remove(t.keyFile.Name())
	}
	*t = dupSet{}
}
