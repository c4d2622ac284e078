package validate

// hashLines is an open-addressing hash table from a 64-bit value hash to
// the line it was first seen on: 12 bytes a slot, no per-entry allocation,
// and far fewer cache misses than a Go map at a million entries.
type hashLines struct {
	keys  []uint64 // 0 marks an empty slot (a hash of 0 is stored as 1)
	lines []int32
	n     int
}

// addOrGet stores line under h unless h is there already; then it returns
// the stored line and true.
func (t *hashLines) addOrGet(h uint64, line int32) (int32, bool) {
	if h == 0 {
		h = 1
	}
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case h:
			return t.lines[i], true
		case 0:
			t.keys[i], t.lines[i] = h, line
			t.n++
			return 0, false
		}
	}
}

func (t *hashLines) grow() {
	old, oldLines := t.keys, t.lines
	size := max(1024, 2*len(old))
	t.keys, t.lines, t.n = make([]uint64, size), make([]int32, size), 0
	for i, k := range old {
		if k != 0 {
			t.addOrGet(k, oldLines[i])
		}
	}
}

// reserve makes room for n entries in all, so that adding them does not
// rehash the table again and again.
func (t *hashLines) reserve(n int) {
	size := 1024
	for size < 2*(n+1) {
		size *= 2
	}
	if size <= len(t.keys) {
		return
	}
	old, oldLines := t.keys, t.lines
	t.keys, t.lines, t.n = make([]uint64, size), make([]int32, size), 0
	for i, k := range old {
		if k != 0 {
			t.addOrGet(k, oldLines[i])
		}
	}
}
